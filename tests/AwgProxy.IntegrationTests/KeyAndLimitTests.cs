using System.Net;
using AwgProxy.IntegrationTests.Support;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.IntegrationTests;

/// <summary>
/// A server with one admitted client (laptop), one revoked client, at most one connection per client and two
/// streams per connection; clients whose keys do not fit. Each refusal has its outcome, log line and metric.
/// </summary>
public sealed class StrictServerFixture : IAsyncLifetime
{
    internal Ed25519KeyPair RevokedKey { get; } = Ed25519KeyPair.Generate();

    internal ProxyPair Pair { get; private set; } = null!;

    internal EchoServer Echo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Echo = new EchoServer();
        Pair = await ProxyPair.StartAsync(new ProxyPairOptions
        {
            RequestWaitSeconds = 2,
            ServerSettings =
            [
                ("Clients:stolen", "PublicKey", RevokedKey.PublicKeyBase64),
                ("Clients:stolen", "Revoked", "true"),
                ("Limits", "MaxConnectionsPerClient", "1"),
                ("Limits", "MaxStreamsPerConnection", "2"),
            ],
        });
    }

    public async Task DisposeAsync()
    {
        await Pair.DisposeAsync();
        await Echo.DisposeAsync();
    }
}

public class KeyAndLimitTests(StrictServerFixture fixture) : IClassFixture<StrictServerFixture>
{
    private readonly ProxyPair _pair = fixture.Pair;

    [Fact]
    public async Task UnknownClientKey_RefusedDuringTheHandshake_SocksRequestsFailWithGeneralFailure()
    {
        double before = (await Metrics.ScrapeAsync(_pair.ServerMetrics)).Sum("awgproxy_tunnel_server_auth_failures_total", ("awgproxy_reason", "unknown_key"));

        var (client, socks5, metrics) = await _pair.StartExtraClientAsync("stranger", Ed25519KeyPair.Generate(), _pair.ServerKey.PublicKey);
        await using (client)
        {
            await client.WaitForLineAsync(@"Tunnel authentication with .* failed \(refused_by_server\): the server at .* refused this client's key");
            await Metrics.WaitForAsync(_pair.ServerMetrics, "awgproxy_tunnel_server_auth_failures_total", before + 1, ("awgproxy_reason", "unknown_key"));
            await Metrics.WaitForAsync(metrics, "awgproxy_tunnel_client_auth_failures_total", 1, ("awgproxy_reason", "refused_by_server"));
            await _pair.Server.WaitForLineAsync("A client was refused during the handshake: its key is not one of the configured clients'");

            Assert.Equal(0x01, await RequestReplyAsync(socks5));
            Assert.DoesNotContain("Tunnel connected to", client.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RevokedClientKey_RefusedAndNamedInTheServerLog()
    {
        double before = (await Metrics.ScrapeAsync(_pair.ServerMetrics)).Sum("awgproxy_tunnel_server_auth_failures_total", ("awgproxy_reason", "revoked"));

        var (client, socks5, metrics) = await _pair.StartExtraClientAsync("revoked", fixture.RevokedKey, _pair.ServerKey.PublicKey);
        await using (client)
        {
            await Metrics.WaitForAsync(_pair.ServerMetrics, "awgproxy_tunnel_server_auth_failures_total", before + 1, ("awgproxy_reason", "revoked"));
            await _pair.Server.WaitForLineAsync("Client stolen was refused during the handshake: its key is revoked");
            await Metrics.WaitForAsync(metrics, "awgproxy_tunnel_client_auth_failures_total", 1, ("awgproxy_reason", "refused_by_server"));
            Assert.Equal(0x01, await RequestReplyAsync(socks5));
        }
    }

    [Fact]
    public async Task WrongServerKey_ClientRefusesToConnectAndSaysSo()
    {
        var (client, socks5, metrics) = await _pair.StartExtraClientAsync("misled", Ed25519KeyPair.Generate(), Ed25519KeyPair.Generate().PublicKey);
        await using (client)
        {
            await client.WaitForLineAsync(@"presented a key that is not the pinned \[Client\] ServerPublicKey; refusing to connect");
            await Metrics.WaitForAsync(metrics, "awgproxy_tunnel_client_auth_failures_total", 1, ("awgproxy_reason", "server_key_mismatch"));
            Assert.Equal(0x01, await RequestReplyAsync(socks5));
            Assert.DoesNotContain("Tunnel connected to", client.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SecondConnectionOfOneClient_ClosedWithLimitExceededLoggedAndCounted()
    {
        (string, string)[] labels = [("awgproxy_client", "laptop"), ("awgproxy_limit", "connections_per_client")];
        double before = (await Metrics.ScrapeAsync(_pair.ServerMetrics)).Sum("awgproxy_tunnel_server_limit_hits_total", labels);

        // The same key as the pair's client, which holds the one connection laptop may have.
        var (client, _, _) = await _pair.StartExtraClientAsync("twin", _pair.ClientKey, _pair.ServerKey.PublicKey);
        await using (client)
        {
            await Metrics.WaitForAsync(_pair.ServerMetrics, "awgproxy_tunnel_server_limit_hits_total", before + 1, labels);
            await _pair.Server.WaitForLineAsync(@"Client laptop refused: connections_per_client limit of 1 reached; connection closed with LIMIT_EXCEEDED \(0x4\)");
            await client.WaitForLineAsync(@"The peer closed the connection with application error code 4\.? \(LIMIT_EXCEEDED: the server's connection limit");
        }

        // The first connection is unaffected.
        (byte reply, Socks5Probe probe) = await Socks5Probe.OpenAsync(_pair.Socks5, ProxyPair.User, ProxyPair.Password, "127.0.0.1", fixture.Echo.Port);
        await probe.DisposeAsync();
        Assert.Equal(0, reply);
    }

    [Fact]
    public async Task ThirdStreamOnAConnectionLimitedToTwo_NotAllowedLoggedAndCounted()
    {
        (string, string)[] labels = [("awgproxy_client", "laptop"), ("awgproxy_limit", "streams_per_connection")];
        double before = (await Metrics.ScrapeAsync(_pair.ServerMetrics)).Sum("awgproxy_tunnel_server_limit_hits_total", labels);

        (byte first, Socks5Probe one) = await Socks5Probe.OpenAsync(_pair.Socks5, ProxyPair.User, ProxyPair.Password, "127.0.0.1", fixture.Echo.Port);
        await using (one)
        {
            (byte second, Socks5Probe two) = await Socks5Probe.OpenAsync(_pair.Socks5, ProxyPair.User, ProxyPair.Password, "127.0.0.1", fixture.Echo.Port);
            await using (two)
            {
                (byte third, Socks5Probe three) = await Socks5Probe.OpenAsync(_pair.Socks5, ProxyPair.User, ProxyPair.Password, "127.0.0.1", fixture.Echo.Port);
                await three.DisposeAsync();

                Assert.Equal((0, 0, 2), (first, second, third));
            }
        }

        await Metrics.WaitForAsync(_pair.ServerMetrics, "awgproxy_tunnel_server_limit_hits_total", before + 1, labels);
        await _pair.Server.WaitForLineAsync("Client laptop reached the limit of 2 concurrent streams on one connection");

        // With the two sessions closed, a new stream is served again.
        long deadline = Environment.TickCount64 + (long)Bounds.Step.TotalMilliseconds;
        byte again;
        do
        {
            (again, Socks5Probe probe) = await Socks5Probe.OpenAsync(_pair.Socks5, ProxyPair.User, ProxyPair.Password, "127.0.0.1", fixture.Echo.Port);
            await probe.DisposeAsync();
        }
        while (again != 0 && Environment.TickCount64 < deadline);
        Assert.Equal(0, again);
    }

    private static async Task<byte> RequestReplyAsync(IPEndPoint socks5)
    {
        (byte reply, Socks5Probe probe) = await Socks5Probe.OpenAsync(socks5, ProxyPair.User, ProxyPair.Password, "127.0.0.1", 9);
        await probe.DisposeAsync();
        return reply;
    }
}
