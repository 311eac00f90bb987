using System.Net;
using AwgProxy.Tunnel.Client;
using AwgProxy.Tunnel.Server;
using Microsoft.Extensions.Logging.Testing;

namespace AwgProxy.Tunnel.Tests.Doubles;

/// <summary>
/// A real <see cref="TunnelServer"/> (real dialer, real sockets to loopback upstreams) and a real
/// <see cref="TunnelClient"/>, joined by in-memory connections; logs and metrics captured.
/// </summary>
internal sealed class TunnelHarness : IAsyncDisposable
{
    private TunnelHarness(
        TunnelServerOptions serverOptions,
        TunnelClientOptions clientOptions,
        TimeProvider? clientTime,
        Random? random,
        HostResolver? resolver)
    {
        ServerOptions = serverOptions;
        ClientOptions = clientOptions;
        var policy = new EgressPolicy(serverOptions.Egress, localAddressSource: () => []);
        var dialer = new UpstreamDialer(policy, serverOptions.ConnectTimeout, serverOptions.ConnectionAttemptDelay, resolver: resolver);
        ServerMetrics = new TunnelServerMetrics(Meters);
        Server = new TunnelServer(serverOptions, dialer, ServerMetrics, new FakeLogger<TunnelServer>(Logs));
        Factory = new ServerBackedFactory(Server);
        ClientMetrics = new TunnelClientMetrics(Meters);
        Client = new TunnelClient(Factory, clientOptions, ClientMetrics, new FakeLogger<TunnelClient>(Logs), clientTime, random);
    }

    public TestMeterFactory Meters { get; } = new();

    public FakeLogCollector Logs { get; } = new();

    public TunnelServerOptions ServerOptions { get; }

    public TunnelClientOptions ClientOptions { get; }

    public TunnelServerMetrics ServerMetrics { get; }

    public TunnelClientMetrics ClientMetrics { get; }

    public TunnelServer Server { get; }

    public ServerBackedFactory Factory { get; }

    public TunnelClient Client { get; }

    /// <summary>Loopback upstreams allowed unless <paramref name="configureServer"/> says otherwise.</summary>
    public static TunnelHarness Create(
        Action<TunnelServerOptions>? configureServer = null,
        Action<TunnelClientOptions>? configureClient = null,
        TimeProvider? clientTime = null,
        Random? random = null,
        HostResolver? resolver = null)
    {
        var serverOptions = new TunnelServerOptions();
        serverOptions.Egress.AllowLoopback = true;
        configureServer?.Invoke(serverOptions);
        var clientOptions = new TunnelClientOptions();
        configureClient?.Invoke(clientOptions);
        return new TunnelHarness(serverOptions, clientOptions, clientTime, random, resolver);
    }

    public static AwgProxy.Tunnel.Protocol.TunnelDestination To(TcpTestServer upstream) =>
        AwgProxy.Tunnel.Protocol.TunnelDestination.FromAddress(IPAddress.Loopback, upstream.Port);

    /// <summary>Waits (bounded) until the server has no stream of the client left.</summary>
    public async Task WaitForServerIdleAsync(string client = "alice")
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Default);
        while (Server.GetActiveStreams(client) != 0)
        {
            await Task.Delay(5, cts.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Factory.DisposeAsync();
        Meters.Dispose();
    }
}
