using AwgProxy.IntegrationTests.Support;

namespace AwgProxy.IntegrationTests;

/// <summary>
/// Each refusal the SOCKS5 client sees has its exact answer and moves its metric: wrong password, no
/// authentication offered, refused destination, private destination, BIND.
/// </summary>
[Collection(SharedPairCollection.Name)]
public class FailureCaseTests(SharedPairFixture fixture)
{
    private readonly ProxyPair _pair = fixture.Pair;

    [Fact]
    public async Task WrongPassword_AuthenticationFailsAndIsCounted()
    {
        const string Metric = "awgproxy_socks5_auth_failures_total";
        (string, string) reason = ("reason", "invalid_credentials");
        double before = (await Metrics.ScrapeAsync(_pair.ClientMetrics)).Sum(Metric, reason);

        await using Socks5Probe probe = await Socks5Probe.ConnectAsync(_pair.Socks5);
        Assert.Equal(Socks5Probe.UserPassword, await probe.GreetAsync(Socks5Probe.UserPassword));
        byte status = await probe.AuthenticateAsync(ProxyPair.User, "not-the-password");

        Assert.NotEqual(0, status);
        Assert.Empty(await probe.ReadToEndAsync());
        await Metrics.WaitForAsync(_pair.ClientMetrics, Metric, before + 1, reason);
    }

    [Fact]
    public async Task NoAuthenticationOffered_NoAcceptableMethodsAndIsCounted()
    {
        const string Metric = "awgproxy_socks5_auth_failures_total";
        (string, string) reason = ("reason", "no_acceptable_method");
        double before = (await Metrics.ScrapeAsync(_pair.ClientMetrics)).Sum(Metric, reason);

        await using Socks5Probe probe = await Socks5Probe.ConnectAsync(_pair.Socks5);
        byte method = await probe.GreetAsync(Socks5Probe.NoAuthentication);

        Assert.Equal(Socks5Probe.NoAcceptableMethods, method);
        Assert.Empty(await probe.ReadToEndAsync());
        await Metrics.WaitForAsync(_pair.ClientMetrics, Metric, before + 1, reason);
    }

    [Fact]
    public async Task RefusedDestination_ConnectionRefusedReplyAndCounted()
    {
        int closedPort = ClosedTcpPort();
        Metrics client = await Metrics.ScrapeAsync(_pair.ClientMetrics);
        Metrics server = await Metrics.ScrapeAsync(_pair.ServerMetrics);

        (byte reply, Socks5Probe probe) = await Socks5Probe.OpenAsync(_pair.Socks5, ProxyPair.User, ProxyPair.Password, "127.0.0.1", closedPort);
        await probe.DisposeAsync();

        Assert.Equal(0x05, reply);
        await Metrics.WaitForAsync(_pair.ClientMetrics, "awgproxy_socks5_requests_total", client.Sum("awgproxy_socks5_requests_total", ("reply", "connection_refused")) + 1, ("reply", "connection_refused"));
        await Metrics.WaitForAsync(_pair.ServerMetrics, "awgproxy_tunnel_server_dials_total", server.Sum("awgproxy_tunnel_server_dials_total", ("awgproxy_status", "connection_refused")) + 1, ("awgproxy_status", "connection_refused"));
    }

    [Fact]
    public async Task PrivateDestination_NotAllowedByPolicyAndCounted()
    {
        // 10.0.0.0/8 is refused by the egress policy before any dial: nothing is sent to it.
        Metrics server = await Metrics.ScrapeAsync(_pair.ServerMetrics);
        Metrics client = await Metrics.ScrapeAsync(_pair.ClientMetrics);

        (byte reply, Socks5Probe probe) = await Socks5Probe.OpenAsync(_pair.Socks5, ProxyPair.User, ProxyPair.Password, "10.20.30.40", 80);
        await probe.DisposeAsync();

        Assert.Equal(0x02, reply);
        await Metrics.WaitForAsync(_pair.ServerMetrics, "awgproxy_tunnel_server_egress_refusals_total", server.Sum("awgproxy_tunnel_server_egress_refusals_total", ("awgproxy_verdict", "Private")) + 1, ("awgproxy_verdict", "Private"));
        await Metrics.WaitForAsync(_pair.ClientMetrics, "awgproxy_socks5_requests_total", client.Sum("awgproxy_socks5_requests_total", ("reply", "connection_not_allowed")) + 1, ("reply", "connection_not_allowed"));
    }

    [Fact]
    public async Task Bind_CommandNotSupportedAndCounted()
    {
        (string, string)[] labels = [("command", "bind"), ("reply", "command_not_supported")];
        double before = (await Metrics.ScrapeAsync(_pair.ClientMetrics)).Sum("awgproxy_socks5_requests_total", labels);

        (byte reply, Socks5Probe probe) = await Socks5Probe.OpenAsync(_pair.Socks5, ProxyPair.User, ProxyPair.Password, "127.0.0.1", 80, Socks5Probe.Bind);
        await probe.DisposeAsync();

        Assert.Equal(0x07, reply);
        await Metrics.WaitForAsync(_pair.ClientMetrics, "awgproxy_socks5_requests_total", before + 1, labels);
    }

    /// <summary>A loopback TCP port nobody listens on (bound, then released without listening).</summary>
    private static int ClosedTcpPort()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
