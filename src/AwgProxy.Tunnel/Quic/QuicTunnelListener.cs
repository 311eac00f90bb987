using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Quic.Transport;
using AwgProxy.Tunnel.Protocol;
using AwgProxy.Tunnel.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AwgProxy.Tunnel.Quic;

/// <summary>
/// The server's QUIC side: a <see cref="QuicListener"/> with ALPN <c>awgproxy/1</c>, the server's Ed25519
/// certificate and required client certificates judged by a <see cref="TunnelClientAuthenticator"/>; every
/// authenticated connection is served by <see cref="TunnelServer.HandleConnectionAsync"/>.
/// </summary>
/// <remarks>
/// Connection-level limits (docs/protocol.md section 7), each logged and counted in
/// <c>awgproxy.tunnel.server.limit_hits</c> by <c>awgproxy.limit</c>:
/// <list type="bullet">
/// <item><see cref="TunnelServerOptions.MaxClients"/> connections in all (<c>connections</c>) and
/// <see cref="TunnelServerOptions.MaxConnectionsPerClient"/> per client name (<c>connections_per_client</c>):
/// a connection over either is closed right after its handshake with LIMIT_EXCEEDED (0x4).</item>
/// <item><see cref="TunnelServerOptions.MaxStreamsPerConnection"/>: enforced by <see cref="TunnelServer"/>
/// (response 2, <c>streams_per_connection</c>); QUIC's <c>initial_max_streams_bidi</c> is set a little above it
/// so that such streams get that answer rather than wait for credit.</item>
/// <item><see cref="TunnelServerOptions.HandshakeTimeout"/>: QUIC abandons the handshake silently; counted as
/// <c>awgproxy.quic.handshakes{result=failed,reason=timeout}</c> and logged by the driver.</item>
/// <item><see cref="TunnelServerOptions.ConnectionIdleTimeout"/>: QUIC's max_idle_timeout closes the connection
/// silently; logged here and counted as <c>idle_timeout</c>.</item>
/// </list>
/// </remarks>
public sealed class QuicTunnelListener : IAsyncDisposable
{
    /// <summary>The <c>awgproxy.limit</c> of <see cref="TunnelServerOptions.MaxClients"/>.</summary>
    public const string ConnectionsLimit = "connections";

    /// <summary>The <c>awgproxy.limit</c> of <see cref="TunnelServerOptions.MaxConnectionsPerClient"/>.</summary>
    public const string ConnectionsPerClientLimit = "connections_per_client";

    /// <summary>The <c>awgproxy.limit</c> of a connection closed by <see cref="TunnelServerOptions.ConnectionIdleTimeout"/>.</summary>
    public const string IdleTimeoutLimit = "idle_timeout";

    private static readonly byte[] s_statelessResetKeyLabel = "awgproxy/1 stateless reset key"u8.ToArray();

    private readonly QuicListener _listener;
    private readonly TunnelServer _server;
    private readonly TunnelServerOptions _limits;
    private readonly TunnelServerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _perClient = new(StringComparer.Ordinal);
    private readonly HashSet<Task> _serving = [];
    private int _total;
    private int _disposed;

    private QuicTunnelListener(QuicListener listener, TunnelServer server, TunnelServerOptions limits, TunnelServerMetrics metrics, ILogger logger, TimeProvider timeProvider)
    {
        _listener = listener;
        _server = server;
        _limits = limits;
        _metrics = metrics;
        _logger = logger;
        _timeProvider = timeProvider;
    }

    /// <summary>The bound UDP address.</summary>
    public EndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>Authenticated connections being served now.</summary>
    public int ConnectionCount
    {
        get
        {
            lock (_lock)
            {
                return _total;
            }
        }
    }

    /// <summary>
    /// Binds the listener. Throws <see cref="ArgumentException"/> for incomplete options and the socket's
    /// exception when the address cannot be bound.
    /// </summary>
    public static async ValueTask<QuicTunnelListener> ListenAsync(
        QuicTunnelServerOptions options,
        TunnelServer server,
        TunnelServerOptions limits,
        TunnelServerMetrics metrics,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(metrics);
        if (options.ListenEndPoint is null)
        {
            throw new ArgumentException($"{nameof(QuicTunnelServerOptions)}.{nameof(options.ListenEndPoint)} is required.", nameof(options));
        }

        if (options.ServerKey is null)
        {
            throw new ArgumentException($"{nameof(QuicTunnelServerOptions)}.{nameof(options.ServerKey)} is required.", nameof(options));
        }

        var authenticator = new TunnelClientAuthenticator(options.Clients, metrics, options.LoggerFactory?.CreateLogger<TunnelClientAuthenticator>());
        QuicListener listener = await QuicListener.ListenAsync(CreateListenerOptions(options, limits, authenticator), cancellationToken).ConfigureAwait(false);
        ILogger logger = options.LoggerFactory?.CreateLogger<QuicTunnelListener>() ?? NullLogger<QuicTunnelListener>.Instance;
        var tunnelListener = new QuicTunnelListener(listener, server, limits, metrics, logger, options.TimeProvider ?? TimeProvider.System);
        QuicTunnelLog.ListenerStarted(logger, listener.LocalEndPoint.ToString() ?? "?", authenticator.AdmittedCount);
        return tunnelListener;
    }

    /// <summary>
    /// QUIC's limit on concurrent client streams for a tunnel limit of <paramref name="maxStreamsPerConnection"/>:
    /// a quarter more, at least 16 more, so that the tunnel answers over-limit streams itself.
    /// </summary>
    public static int QuicStreamLimit(int maxStreamsPerConnection) =>
        (int)Math.Min(int.MaxValue / 2, (long)maxStreamsPerConnection + Math.Max(16, maxStreamsPerConnection / 4));

    /// <summary>
    /// Accepts and serves connections until <paramref name="cancellationToken"/> fires (each connection is then
    /// closed with SERVER_SHUTTING_DOWN (0x10)); returns once every connection has finished.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                QuicConnection connection;
                try
                {
                    connection = await _listener.AcceptConnectionAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (ObjectDisposedException)
                {
                    break;
                }

                await AdmitAsync(connection, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Task[] serving;
            lock (_lock)
            {
                serving = [.. _serving];
            }

            await Task.WhenAll(serving).ConfigureAwait(false);
        }
    }

    /// <summary>Stops listening and closes every connection (SERVER_SHUTTING_DOWN).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        int connections = ConnectionCount;
        await _listener.DisposeAsync().ConfigureAwait(false);
        QuicTunnelLog.ListenerStopped(_logger, connections);
    }

    private static QuicListenerOptions CreateListenerOptions(QuicTunnelServerOptions options, TunnelServerOptions limits, TunnelClientAuthenticator authenticator) => new()
    {
        ListenEndPoint = options.ListenEndPoint,
        ApplicationProtocols = [new SslApplicationProtocol(TunnelProtocol.Alpn)],
        ConnectionOptions = new QuicServerConnectionOptions
        {
            ServerAuthenticationOptions = new QuicServerAuthenticationOptions
            {
                ServerCertificate = TlsCertificateCredential.FromEd25519(options.ServerKey!, "awgproxy-server"),
                ClientCertificateRequired = true,
                ClientCertificateValidator = authenticator.Validate,
            },
            HandshakeTimeout = limits.HandshakeTimeout,
            IdleTimeout = limits.ConnectionIdleTimeout,
            MaxInboundBidirectionalStreams = QuicStreamLimit(limits.MaxStreamsPerConnection),
            MaxInboundUnidirectionalStreams = 0,
            MaxDatagramFrameSize = 0,
            MaxDatagramSize = options.MaxDatagramSize,
            DefaultStreamErrorCode = TunnelErrorCode.NoError,
            DefaultCloseErrorCode = TunnelErrorCode.ServerShuttingDown,
        },
        MaxConnections = (int)Math.Min(int.MaxValue, (long)limits.MaxClients + 512),
        SendVersionNegotiation = false,
        SendStatelessReset = options.SendStatelessReset,
        StaticKey = DeriveStaticKey(options.ServerKey!),
        DatagramPathFactory = options.DatagramPathFactory,
        TimeProvider = options.TimeProvider,
        LoggerFactory = options.LoggerFactory,
        MeterFactory = options.MeterFactory,
    };

    /// <summary>The endpoint's static key (stateless reset tokens, Retry tokens), derived from the server's private key with HKDF-SHA256.</summary>
    private static byte[] DeriveStaticKey(Ed25519KeyPair serverKey)
    {
        byte[] privateKey = serverKey.PrivateKey;
        try
        {
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, privateKey, 32, salt: [], info: s_statelessResetKeyLabel);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
    }

    private async Task AdmitAsync(QuicConnection connection, CancellationToken cancellationToken)
    {
        string client = connection.ClientIdentity as string ?? "unknown";
        string? limit = null;
        int value = 0;
        int perClient = 0;
        int total = 0;
        lock (_lock)
        {
            _perClient.TryGetValue(client, out perClient);
            if (_total >= _limits.MaxClients)
            {
                (limit, value) = (ConnectionsLimit, _limits.MaxClients);
            }
            else if (perClient >= _limits.MaxConnectionsPerClient)
            {
                (limit, value) = (ConnectionsPerClientLimit, _limits.MaxConnectionsPerClient);
            }
            else
            {
                total = ++_total;
                _perClient[client] = ++perClient;
            }
        }

        if (limit is not null)
        {
            QuicTunnelLog.ConnectionLimitReached(_logger, client, limit, value);
            _metrics.LimitHit(client, limit);
            await connection.CloseAsync(TunnelErrorCode.LimitExceeded, CancellationToken.None).ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            return;
        }

        QuicTunnelLog.ClientConnected(_logger, client, perClient, total);
        _metrics.ConnectionOpened(client);
        Task task = ServeAsync(connection, client, cancellationToken);
        lock (_lock)
        {
            if (!task.IsCompleted)
            {
                _serving.Add(task);
            }
        }

        _ = task.ContinueWith(
            (t, state) =>
            {
                lock (_lock)
                {
                    _serving.Remove(t);
                }
            },
            null,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task ServeAsync(QuicConnection connection, string client, CancellationToken cancellationToken)
    {
        await Task.Yield();
        long started = _timeProvider.GetTimestamp();
        var tunnel = new QuicTunnelConnection(connection, client);
        try
        {
            await _server.HandleConnectionAsync(tunnel, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            string reason = "the server is shutting down";
            if (connection.Closed.IsCompleted)
            {
                QuicCloseReason closed = await connection.Closed.ConfigureAwait(false);
                reason = closed.Message;
                if (closed.Error == QuicError.ConnectionIdle)
                {
                    QuicTunnelLog.ConnectionIdle(_logger, client, _limits.ConnectionIdleTimeout.TotalSeconds);
                    _metrics.LimitHit(client, IdleTimeoutLimit);
                }
            }

            await tunnel.DisposeAsync().ConfigureAwait(false);
            lock (_lock)
            {
                _total--;
                if (_perClient.TryGetValue(client, out int count) && count > 1)
                {
                    _perClient[client] = count - 1;
                }
                else
                {
                    _perClient.Remove(client);
                }
            }

            _metrics.ConnectionClosed(client);
            QuicTunnelLog.ClientDisconnected(_logger, client, (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds, reason);
        }
    }
}
