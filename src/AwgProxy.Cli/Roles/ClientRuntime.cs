using System.Diagnostics.Metrics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using AwgProxy.AmneziaWG;
using AwgProxy.Cli.Configuration;
using AwgProxy.Cli.Hosting;
using AwgProxy.Obfuscation;
using AwgProxy.Quic.Transport.Paths;
using AwgProxy.Socks5;
using AwgProxy.Tunnel.Client;
using AwgProxy.Tunnel.Quic;
using AwgProxy.Tunnel.Socks;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Cli.Roles;

/// <summary>
/// A running client: the SOCKS5 server on <c>[Socks5] Listen</c>, whose CONNECT requests go through the
/// tunnel client's one QUIC connection (AWG envelope over UDP, the server's key pinned, this client's key
/// presented), reconnecting with capped exponential backoff and jitter when it drops. When the machine's network
/// changes (<see cref="NetworkChange.NetworkAddressChanged"/>: an address or interface came or went) the connection
/// moves to a new local socket (QUIC active migration) instead of waiting to be found dead.
/// </summary>
internal sealed class ClientRuntime : IAsyncDisposable
{
    /// <summary>How long the client waits for the server's answer to a stream request (above the server's connect timeout).</summary>
    private static readonly TimeSpan s_responseTimeout = TimeSpan.FromSeconds(30);

    private readonly Socks5Server _socks;
    private readonly TunnelClient _tunnel;
    private int _disposed;

    private ClientRuntime(Socks5Server socks, TunnelClient tunnel)
    {
        _socks = socks;
        _tunnel = tunnel;
    }

    private void OnNetworkAddressChanged(object? sender, EventArgs e) => _tunnel.OnNetworkChanged();

    /// <summary>Follows network changes where the platform reports them (Linux netlink, macOS); elsewhere nothing.</summary>
    private void WatchNetwork(ILogger logger)
    {
        try
        {
            NetworkChange.NetworkAddressChanged += OnNetworkAddressChanged;
        }
        catch (Exception e) when (e is NetworkInformationException or PlatformNotSupportedException)
        {
            CliLog.NetworkWatchUnavailable(logger, e.Message);
        }
    }

    /// <summary>The SOCKS5 server's bound address.</summary>
    public IPEndPoint Socks5EndPoint => _socks.LocalEndPoints[0];

    /// <summary>Starts connecting the tunnel and listening for SOCKS5 clients. Throws <see cref="CliException"/> when the port cannot be bound.</summary>
    public static async Task<ClientRuntime> StartAsync(
        ResolvedClientConfig config,
        ILoggerFactory loggerFactory,
        IMeterFactory meterFactory,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        AwgProfile profile = config.AwgProfile;
        int wireMtu = config.WireMtu;
        var metrics = new TunnelClientMetrics(meterFactory);
        var factory = new QuicTunnelConnectionFactory(
            new QuicTunnelClientOptions
            {
                Server = config.Server.Address is { } address
                    ? new IPEndPoint(address, config.Server.Port)
                    : new DnsEndPoint(config.Server.Host, config.Server.Port),
                ServerName = config.Server.ToString(),
                ClientKey = config.KeyPair,
                ServerPublicKey = config.ServerPublicKey.ToArray(),
                DatagramPathFactory = endPoint => new AwgEnvelopePath(
                    UdpDatagramPath.Bind(endPoint, new UdpDatagramPathOptions { MaxDatagramSize = wireMtu }),
                    AwgEnvelopeRole.Client,
                    profile,
                    SystemRandomSource.Instance,
                    timeProvider,
                    loggerFactory,
                    meterFactory),
                HandshakeTimeout = config.HandshakeTimeout,
                IdleTimeout = config.IdleTimeout,
                KeepAliveInterval = config.KeepAliveInterval > TimeSpan.Zero ? config.KeepAliveInterval : Timeout.InfiniteTimeSpan,
                DeadPathTimeout = config.DeadPathTimeout > TimeSpan.Zero ? config.DeadPathTimeout : Timeout.InfiniteTimeSpan,
                MaxDatagramSize = profile.Budget.MaxQuicDatagramSize,
                CongestionControl = config.Options.Quic.CongestionControl,
                TimeProvider = timeProvider,
                LoggerFactory = loggerFactory,
                MeterFactory = meterFactory,
            },
            metrics);
        var tunnelOptions = new TunnelClientOptions
        {
            RequestWaitTimeout = config.RequestWaitTimeout,
            ResponseTimeout = s_responseTimeout,
        };
        var tunnel = new TunnelClient(factory, tunnelOptions, metrics, loggerFactory.CreateLogger<TunnelClient>(), timeProvider);

        var socksOptions = new Socks5ServerOptions
        {
            HandshakeTimeout = config.Socks5HandshakeTimeout,
            // The handler waits for the tunnel (RequestWaitTimeout) and then for the server's answer.
            ConnectTimeout = config.RequestWaitTimeout + s_responseTimeout + TimeSpan.FromSeconds(5),
            MaxConcurrentSessions = config.Socks5MaxConnections,
        };
        socksOptions.ListenEndPoints.Add(ListenAddress.Format(config.Socks5Listen));
        foreach ((string name, string password) in config.Socks5Users)
        {
            socksOptions.Users.Add(new Socks5User { UserName = name, Password = password });
        }

        var socks = new Socks5Server(
            socksOptions,
            new TunnelSocks5ConnectHandler(tunnel),
            udpAssociateHandler: null,
            loggerFactory.CreateLogger<Socks5Server>(),
            new Socks5Metrics(meterFactory),
            timeProvider);
        try
        {
            await socks.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            await socks.DisposeAsync().ConfigureAwait(false);
            await tunnel.DisposeAsync().ConfigureAwait(false);
            throw new CliException($"cannot listen on {ListenAddress.Format(config.Socks5Listen)} for SOCKS5: {MetricsEndpointService.Describe(e.SocketErrorCode)}", e);
        }

        // Connect only once the port is ours: a client that cannot serve does not touch the network.
        tunnel.Start();
        var runtime = new ClientRuntime(socks, tunnel);
        runtime.WatchNetwork(loggerFactory.CreateLogger("AwgProxy.Cli"));
        CliLog.ClientReady(
            loggerFactory.CreateLogger("AwgProxy.Cli"),
            ListenAddress.Format(runtime.Socks5EndPoint),
            config.Server.ToString(),
            config.Socks5Users.Count);
        return runtime;
    }

    /// <summary>Stops accepting SOCKS5 clients, ends the sessions and closes the tunnel (NO_ERROR).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        NetworkChange.NetworkAddressChanged -= OnNetworkAddressChanged;
        await _socks.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _socks.DisposeAsync().ConfigureAwait(false);
        await _tunnel.DisposeAsync().ConfigureAwait(false);
    }
}
