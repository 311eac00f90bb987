using System.Net;
using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Tunnel.Client;
using AwgProxy.Tunnel.Quic;
using AwgProxy.Tunnel.Server;
using AwgProxy.Tunnel.Tests.Doubles;

namespace AwgProxy.Tunnel.Tests.Quic;

/// <summary>
/// The real QUIC binding over UDP on 127.0.0.1 (no AWG envelope): a <see cref="QuicTunnelListener"/> serving a
/// <see cref="TunnelServer"/> that may dial loopback, one admitted client ("alice"), one revoked ("mallory"),
/// and factories for clients with any keys.
/// </summary>
internal sealed class QuicTunnelHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    private QuicTunnelHarness(TunnelServerOptions options)
    {
        Options = options;
    }

    public Ed25519KeyPair ServerKey { get; } = Ed25519KeyPair.Generate();

    public Ed25519KeyPair ClientKey { get; } = Ed25519KeyPair.Generate();

    public Ed25519KeyPair RevokedKey { get; } = Ed25519KeyPair.Generate();

    public TunnelServerOptions Options { get; }

    public TestMeterFactory ServerMeters { get; } = new();

    public TestMeterFactory ClientMeters { get; } = new();

    public TunnelServerMetrics ServerMetrics { get; private set; } = null!;

    public TunnelClientMetrics ClientMetrics { get; private set; } = null!;

    public QuicTunnelListener Listener { get; private set; } = null!;

    public IPEndPoint EndPoint => (IPEndPoint)Listener.LocalEndPoint;

    public static async Task<QuicTunnelHarness> StartAsync(Action<TunnelServerOptions>? configure = null)
    {
        var options = new TunnelServerOptions { Egress = { AllowLoopback = true } };
        configure?.Invoke(options);
        var harness = new QuicTunnelHarness(options);
        harness.ServerMetrics = new TunnelServerMetrics(harness.ServerMeters);
        harness.ClientMetrics = new TunnelClientMetrics(harness.ClientMeters);
        var server = new TunnelServer(options, new UpstreamDialer(new EgressPolicy(options.Egress), options.ConnectTimeout, options.ConnectionAttemptDelay), harness.ServerMetrics);
        harness.Listener = await QuicTunnelListener.ListenAsync(
            new QuicTunnelServerOptions
            {
                ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
                ServerKey = harness.ServerKey,
                Clients =
                [
                    new AuthorizedTunnelClient("alice", harness.ClientKey.PublicKey, Revoked: false),
                    new AuthorizedTunnelClient("mallory", harness.RevokedKey.PublicKey, Revoked: true),
                ],
            },
            server,
            options,
            harness.ServerMetrics);
        harness._run = harness.Listener.RunAsync(harness._stop.Token);
        return harness;
    }

    /// <summary>A factory for a client with <paramref name="clientKey"/> (default: alice's) pinning <paramref name="pin"/> (default: the server's key).</summary>
    public QuicTunnelConnectionFactory Factory(Ed25519KeyPair? clientKey = null, byte[]? pin = null, Action<QuicTunnelClientOptions>? configure = null)
    {
        var options = new QuicTunnelClientOptions
        {
            Server = EndPoint,
            ServerName = "test-server",
            ClientKey = clientKey ?? ClientKey,
            ServerPublicKey = pin ?? ServerKey.PublicKey,
            HandshakeTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return new QuicTunnelConnectionFactory(options, ClientMetrics);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TestTimeouts.Default);
        await Listener.DisposeAsync();
        _stop.Dispose();
        ServerMeters.Dispose();
        ClientMeters.Dispose();
    }
}
