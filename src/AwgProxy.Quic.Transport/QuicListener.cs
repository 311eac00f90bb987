using System.Net;
using System.Threading.Channels;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Transport.Internal;
using AwgProxy.Quic.Transport.Paths;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AwgProxy.Quic.Transport;

/// <summary>
/// A QUIC server endpoint on one datagram path (the shape of System.Net.Quic's QuicListener). Connections are handed
/// out by <see cref="AcceptConnectionAsync"/> once their handshake has completed. Handshaking plus completed but not
/// yet accepted connections are bounded by <see cref="QuicListenerOptions.ListenBacklog"/>: beyond it, new clients'
/// Initials are dropped unanswered (they retransmit and may get in later).
/// </summary>
public sealed class QuicListener : IAsyncDisposable, IConnectionAcceptor
{
    private readonly QuicListenerOptions _options;
    private readonly QuicServerConnectionOptions _connectionOptions;
    private readonly Channel<QuicConnection> _accepted;
    private readonly ILogger _logger;
    private readonly EndpointDriver _driver;
    private int _handshaking;
    private int _disposed;

    private QuicListener(QuicListenerOptions options)
    {
        _options = options;
        _connectionOptions = options.ConnectionOptions!;
        _accepted = Channel.CreateBounded<QuicConnection>(new BoundedChannelOptions(options.ListenBacklog)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
        });
        _logger = options.LoggerFactory?.CreateLogger<QuicListener>() ?? NullLogger<QuicListener>.Instance;
        IDatagramPath path = (options.DatagramPathFactory ?? DefaultPathFactory)(options.ListenEndPoint!);
        try
        {
            var server = new ServerConnectionOptions { Tls = _connectionOptions.ServerAuthenticationOptions!.ToTlsOptions(options.ApplicationProtocols) };
            _connectionOptions.ApplyTo(server, path.MaxDatagramSize, path is IDatagramPathCapabilities { SupportsEcn: true });
            var endpointOptions = new EndpointOptions
            {
                Server = server,
                RequireRetry = options.RequireRetry,
                SendVersionNegotiation = options.SendVersionNegotiation,
                SendStatelessReset = options.SendStatelessReset,
                MaxStatelessResetsPerSecond = options.MaxStatelessResetsPerSecond,
                MaxConnections = options.MaxConnections,
                StaticKey = options.StaticKey,
                AdmitConnection = Admit,
            };
            _driver = new EndpointDriver(path, endpointOptions, options.TimeProvider ?? TimeProvider.System, _logger, QuicMetrics.For(options.MeterFactory), this);
        }
        catch
        {
            path.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>The address the listener is bound to (port 0 resolved).</summary>
    public EndPoint LocalEndPoint => _driver.LocalEndPoint;

    /// <summary>
    /// Binds the datagram path and starts listening. Throws <see cref="ArgumentException"/> for invalid options
    /// (naming the option) and the path's exception when binding fails.
    /// </summary>
    public static ValueTask<QuicListener> ListenAsync(QuicListenerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var listener = new QuicListener(options);
        listener._driver.Start();
        QuicLog.ListenerStarted(listener._logger, listener.LocalEndPoint, string.Join(",", options.ApplicationProtocols), options.RequireRetry);
        return ValueTask.FromResult(listener);
    }

    /// <summary>
    /// Waits for the next connection whose handshake has completed. Throws <see cref="ObjectDisposedException"/> once
    /// the listener is disposed.
    /// </summary>
    public async ValueTask<QuicConnection> AcceptConnectionAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            return await _accepted.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(QuicListener));
        }
    }

    /// <summary>
    /// Stops listening and closes every connection of the listener (they share its datagram path) with
    /// <see cref="QuicConnectionOptions.DefaultCloseErrorCode"/>; connections not yet accepted are dropped.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _accepted.Writer.TryComplete();
        int count;
        lock (_driver.Lock)
        {
            count = _handshaking + _accepted.Reader.Count;
        }

        await _driver.CloseAllAndStopAsync(
            _connectionOptions.DefaultCloseErrorCode,
            new QuicCloseReason(QuicError.OperationAborted, true, null, null, "The listener was disposed.")).ConfigureAwait(false);
        QuicLog.ListenerStopped(_logger, LocalEndPoint, count);
    }

    public override string ToString() => $"QuicListener {LocalEndPoint}";

    private static IDatagramPath DefaultPathFactory(IPEndPoint local) => UdpDatagramPath.Bind(local);

    // ---- IConnectionAcceptor: called under the driver's lock ----

    private bool Admit(SocketAddress remote)
    {
        if (Volatile.Read(ref _disposed) != 0) return false;
        int queued = _accepted.Reader.Count;
        if (_handshaking + queued < _options.ListenBacklog) return true;
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            QuicLog.ConnectionNotAdmitted(_logger, SocketAddresses.ToEndPoint(remote), _handshaking, queued, _options.ListenBacklog);
        }

        return false;
    }

    bool IConnectionAcceptor.Admit(SocketAddress remote) => Admit(remote);

    QuicConnection IConnectionAcceptor.OnNewConnection(Connection core)
    {
        _handshaking++;
        return new QuicConnection(_driver, core, _connectionOptions, _driver.Now);
    }

    void IConnectionAcceptor.OnConnected(QuicConnection connection)
    {
        _handshaking--;
        if (!_accepted.Writer.TryWrite(connection))
        {
            // The listener is being disposed (admission keeps the queue from overflowing otherwise).
            connection.CloseLocked(_driver.Now, _connectionOptions.DefaultCloseErrorCode);
        }
    }

    void IConnectionAcceptor.OnHandshakeFailed(QuicConnection connection) => _handshaking--;
}
