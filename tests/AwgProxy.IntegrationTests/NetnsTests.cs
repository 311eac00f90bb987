using System.Globalization;
using AwgProxy.IntegrationTests.Support;

namespace AwgProxy.IntegrationTests;

/// <summary>
/// A server and client inside a network namespace of their own, which has nothing but loopback: no packet can
/// leave the machine, so destinations can be unreachable for real. 198.51.100.0/24 has no route (network
/// unreachable), 203.0.113.0/24 an "unreachable" route (host unreachable). The server keeps the default egress
/// policy here, which refuses loopback and private destinations. Needs root (ip netns), as CI has.
/// </summary>
public sealed class NetnsFixture : IAsyncLifetime
{
    internal string Netns { get; } = "awgp-it-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));

    internal ProxyPair Pair { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await ExternalTool.IpAsync("netns", "add", Netns);
        await ExternalTool.IpAsync("-n", Netns, "link", "set", "lo", "up");
        await ExternalTool.IpAsync("-n", Netns, "route", "add", "unreachable", "203.0.113.0/24");
        Pair = await ProxyPair.StartAsync(new ProxyPairOptions { Netns = Netns, AllowNetworks = null });
    }

    public async Task DisposeAsync()
    {
        if (Pair is not null)
        {
            await Pair.DisposeAsync();
        }

        await ExternalTool.RunAsync("ip", ["netns", "delete", Netns]);
    }
}

public class NetnsTests(NetnsFixture fixture) : IClassFixture<NetnsFixture>
{
    /// <summary>A SOCKS5 CONNECT from inside the namespace (Python, byte by byte); prints the reply code.</summary>
    private const string Probe = """
        import socket, sys
        port, host, dport = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.sendall(b"\x05\x01\x02")
        assert s.recv(2) == b"\x05\x02"
        user, password = b"alice", b"correct-horse-battery-staple"
        s.sendall(bytes([1, len(user)]) + user + bytes([len(password)]) + password)
        assert s.recv(2) == b"\x01\x00"
        s.sendall(b"\x05\x01\x00\x01" + socket.inet_aton(host) + dport.to_bytes(2, "big"))
        reply = s.recv(10)
        print(reply[1])
        """;

    private const string Scrape = """
        import sys, urllib.request
        print(urllib.request.urlopen(sys.argv[1], timeout=30).read().decode())
        """;

    [Fact]
    public async Task DestinationWithoutRoute_NetworkUnreachable_Counted() =>
        await AssertReplyAsync("198.51.100.7", 80, expected: 3, "awgproxy_tunnel_server_dials_total", ("awgproxy_status", "network_unreachable"));

    [Fact]
    public async Task DestinationWithUnreachableRoute_HostUnreachable_Counted() =>
        await AssertReplyAsync("203.0.113.7", 80, expected: 4, "awgproxy_tunnel_server_dials_total", ("awgproxy_status", "host_unreachable"));

    [Fact]
    public async Task DefaultEgress_RefusesLoopback_NotAllowed_Counted() =>
        await AssertReplyAsync("127.0.0.1", fixture.Pair.ServerMetrics.Port, expected: 2, "awgproxy_tunnel_server_egress_refusals_total", ("awgproxy_verdict", "Loopback"));

    [Fact]
    public async Task DefaultEgress_RefusesPrivate_NotAllowed_Counted() =>
        await AssertReplyAsync("192.168.1.1", 80, expected: 2, "awgproxy_tunnel_server_egress_refusals_total", ("awgproxy_verdict", "Private"));

    private async Task AssertReplyAsync(string host, int port, int expected, string metric, (string Key, string Value) label)
    {
        double before = (await ScrapeAsync(fixture.Pair.ServerMetrics)).Sum(metric, label);

        ExternalTool.Result probe = await ExternalTool.RunInNetnsAsync(
            fixture.Netns,
            "/usr/bin/python3",
            ["-c", Probe, fixture.Pair.Socks5.Port.ToString(CultureInfo.InvariantCulture), host, port.ToString(CultureInfo.InvariantCulture)]);

        Assert.True(probe.ExitCode == 0, probe + "\n" + fixture.Pair.Describe());
        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), probe.Stdout.Trim());
        long deadline = Environment.TickCount64 + (long)Bounds.Step.TotalMilliseconds;
        double after;
        while ((after = (await ScrapeAsync(fixture.Pair.ServerMetrics)).Sum(metric, label)) < before + 1 && Environment.TickCount64 < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(before + 1, after);
    }

    private async Task<Metrics> ScrapeAsync(Uri endpoint)
    {
        ExternalTool.Result result = await ExternalTool.RunInNetnsAsync(fixture.Netns, "/usr/bin/python3", ["-c", Scrape, endpoint.ToString()]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return Metrics.Parse(result.Stdout);
    }
}
