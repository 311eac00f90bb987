using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using AwgProxy.AmneziaWG;
using AwgProxy.Cli.Configuration;
using AwgProxy.Cli.Hosting;
using AwgProxy.Obfuscation;
using AwgProxy.Quic.Transport.Paths;
using AwgProxy.Tunnel.Quic;
using AwgProxy.Tunnel.Server;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Cli.Roles;

/// <summary>
/// A running server: the QUIC listener on the AWG envelope over UDP, TLS with the server's Ed25519 key and
/// required client certificates judged against <c>[Clients:*]</c>, and the tunnel server that dials
/// destinations through the egress policy. Built from a <see cref="ResolvedServerConfig"/>.
/// </summary>
internal sealed class ServerRuntime : IAsyncDisposable
{
    private readonly QuicTunnelListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private ServerRuntime(QuicTunnelListener listener)
    {
        _listener = listener;
        _run = listener.RunAsync(_stop.Token);
    }

    /// <summary>The bound UDP address.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint;

    /// <summary>Completes when the server stops (it runs until disposed).</summary>
    public Task Completion => _run;

    /// <summary>The tunnel's options for <paramref name="config"/>: every limit from [Limits] and [Timeouts], egress from [Egress].</summary>
    public static TunnelServerOptions CreateTunnelOptions(ResolvedServerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var options = new TunnelServerOptions
        {
            ConnectTimeout = config.UpstreamConnectTimeout,
            MaxClients = config.MaxConnections,
            MaxConnectionsPerClient = config.MaxConnectionsPerClient,
            MaxStreamsPerConnection = config.MaxStreamsPerConnection,
            MaxStreamsPerClient = (int)Math.Min(int.MaxValue, (long)config.MaxStreamsPerConnection * config.MaxConnectionsPerClient),
            HandshakeTimeout = config.HandshakeTimeout,
            ConnectionIdleTimeout = config.IdleTimeout,
        };
        foreach (IPNetwork network in config.AllowedNetworks)
        {
            options.Egress.AllowedNetworks.Add(network.ToString());
        }

        return options;
    }

    /// <summary>Binds and starts the server. Throws <see cref="CliException"/> when the UDP address cannot be bound.</summary>
    public static async Task<ServerRuntime> StartAsync(
        ResolvedServerConfig config,
        ILoggerFactory loggerFactory,
        IMeterFactory meterFactory,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        TunnelServerOptions tunnelOptions = CreateTunnelOptions(config);
        var validation = new TunnelServerOptionsValidator().Validate(null, tunnelOptions);
        if (validation.Failed)
        {
            throw new CliException($"invalid server limits: {validation.FailureMessage}");
        }

        var metrics = new TunnelServerMetrics(meterFactory);
        var dialer = new UpstreamDialer(
            new EgressPolicy(tunnelOptions.Egress, timeProvider),
            tunnelOptions.ConnectTimeout,
            tunnelOptions.ConnectionAttemptDelay,
            timeProvider);
        var server = new TunnelServer(tunnelOptions, dialer, metrics, loggerFactory.CreateLogger<TunnelServer>(), timeProvider);
        AwgProfile profile = config.AwgProfile;
        int wireMtu = config.WireMtu;
        var quicOptions = new QuicTunnelServerOptions
        {
            ListenEndPoint = config.Listen,
            ServerKey = config.KeyPair,
            Clients = [.. config.Clients.Select(c => new AuthorizedTunnelClient(c.Name, c.PublicKey.ToArray(), c.Revoked))],
            DatagramPathFactory = endPoint => new AwgEnvelopePath(
                UdpDatagramPath.Bind(endPoint, new UdpDatagramPathOptions { MaxDatagramSize = wireMtu }),
                AwgEnvelopeRole.Server,
                profile,
                SystemRandomSource.Instance,
                timeProvider,
                loggerFactory,
                meterFactory),
            MaxDatagramSize = profile.Budget.MaxQuicDatagramSize,
            TimeProvider = timeProvider,
            LoggerFactory = loggerFactory,
            MeterFactory = meterFactory,
        };

        QuicTunnelListener listener;
        try
        {
            listener = await QuicTunnelListener.ListenAsync(quicOptions, server, tunnelOptions, metrics, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new CliException($"cannot listen on udp {ListenAddress.Format(config.Listen)}: {MetricsEndpointService.Describe(e.SocketErrorCode)}", e);
        }

        var runtime = new ServerRuntime(listener);
        CliLog.ServerReady(
            loggerFactory.CreateLogger("AwgProxy.Cli"),
            ListenAddress.Format(runtime.LocalEndPoint),
            config.Clients.Count(c => !c.Revoked),
            config.AllowedNetworks.Count == 0 ? "default (public destinations only)" : string.Join(", ", config.AllowedNetworks));
        return runtime;
    }

    /// <summary>Closes every connection (SERVER_SHUTTING_DOWN) and stops listening.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(false);
        await _listener.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
