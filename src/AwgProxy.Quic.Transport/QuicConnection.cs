using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading.Channels;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Streams;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Quic.Transport.Internal;
using AwgProxy.Quic.Transport.Paths;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AwgProxy.Quic.Transport;

/// <summary>
/// A QUIC connection (the shape of System.Net.Quic's QuicConnection): created by <see cref="ConnectAsync"/> or
/// accepted by a <see cref="QuicListener"/>, always with its handshake complete. Opens and accepts streams, sends and
/// receives DATAGRAM frames, and closes with an application error code.
/// </summary>
/// <remarks>
/// A client connection owns its endpoint (its own local port and datagram path), which stops once the connection
/// has drained; a server connection shares the listener's. Members are thread-safe; each stream allows one pending
/// read and one pending write.
/// </remarks>
public sealed class QuicConnection : IAsyncDisposable
{
    private static readonly Action<object?, CancellationToken> s_cancelDatagramReceive = static (state, token) => ((QuicConnection)state!).CancelDatagramReceive(token);

    private readonly EndpointDriver _driver;
    private readonly QuicConnectionOptions _options;
    private readonly bool _isServer;
    private readonly Instant _startedAt;
    private readonly Dictionary<ulong, QuicStream> _streams = [];
    private readonly Dictionary<ulong, QuicStream> _finishing = [];
    private readonly Channel<QuicStream> _inbound;
    private readonly TaskCompletionSource?[] _streamsAvailable = new TaskCompletionSource?[2];
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<QuicCloseReason> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly AsyncWaiter<int> _datagramWaiter = new();
    private Memory<byte> _datagramBuffer;
    private QuicCloseReason? _closeReason;
    private bool _isConnected;
    private bool _disposed;
    private IPEndPoint _remoteEndPoint;
    private SocketAddress _knownRemote;
    private SslApplicationProtocol _applicationProtocol;
    private CipherSuite _cipherSuite;
    private NamedGroup _keyExchangeGroup;
    private TlsPeerCertificate? _remoteCertificate;
    private object? _clientIdentity;
    private string? _requestedServerName;
    private ConnectionStats _lastStats;
    private long _lostReported;
    private Instant _nextSample = Instant.Never;

    internal QuicConnection(EndpointDriver driver, Connection core, QuicConnectionOptions options, Instant now)
    {
        _driver = driver;
        Core = core;
        _options = options;
        _isServer = core.IsServer;
        _startedAt = now;
        ConnectionIdText = core.LocalConnectionId.ToString();
        _remoteEndPoint = SocketAddresses.ToEndPoint(core.RemoteAddress);
        _knownRemote = CopyAddress(core.RemoteAddress);
        HandshakeDeadline = options.HandshakeTimeout == Timeout.InfiniteTimeSpan ? Instant.Never : now + options.HandshakeTimeout;
        int inboundCapacity = Math.Max(1, options.MaxInboundBidirectionalStreams + options.MaxInboundUnidirectionalStreams);
        _inbound = Channel.CreateBounded<QuicStream>(new BoundedChannelOptions(inboundCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
        });
    }

    // Driver bookkeeping, all under the driver's lock.
    internal Connection Core { get; }

    internal bool IsCoreGone { get; set; }

    internal bool IsQueued { get; set; }

    internal Instant HeapDeadline { get; set; } = Instant.Never;

    internal Instant HandshakeDeadline { get; private set; }

    internal Instant NextDeadline => IsCoreGone ? Instant.Never : Instant.Min(Core.NextTimeout, HandshakeDeadline);

    internal string ConnectionIdText { get; }

    internal EndpointDriver Driver => _driver;

    internal long DefaultStreamErrorCode => _options.DefaultStreamErrorCode;

    /// <summary>The reason operations fail with once the connection ended; null while it lives (under the lock).</summary>
    internal QuicCloseReason? CloseReason => _closeReason;

    /// <summary>The local address of the connection's datagram path.</summary>
    public EndPoint LocalEndPoint => _driver.LocalEndPoint;

    /// <summary>The peer's address (it can change when the server follows a NAT rebinding).</summary>
    public IPEndPoint RemoteEndPoint
    {
        get
        {
            lock (_driver.Lock)
            {
                if (!IsCoreGone && !Core.RemoteAddress.Equals(_remoteEndPoint.Serialize()))
                {
                    _remoteEndPoint = SocketAddresses.ToEndPoint(Core.RemoteAddress);
                }

                return _remoteEndPoint;
            }
        }
    }

    /// <summary>The ALPN protocol agreed in the handshake.</summary>
    public SslApplicationProtocol NegotiatedApplicationProtocol => _applicationProtocol;

    /// <summary>The TLS 1.3 cipher suite the handshake chose.</summary>
    public CipherSuite NegotiatedCipherSuite => _cipherSuite;

    /// <summary>The key exchange group of the handshake (X25519 or secp256r1).</summary>
    public NamedGroup NegotiatedKeyExchangeGroup => _keyExchangeGroup;

    /// <summary>The certificate the peer authenticated with: the server's on a client; the client's on a server (null without client authentication).</summary>
    public TlsPeerCertificate? RemoteCertificate => _remoteCertificate;

    /// <summary>Server: what <see cref="QuicServerAuthenticationOptions.ClientCertificateValidator"/> returned for the client; null otherwise.</summary>
    public object? ClientIdentity => _clientIdentity;

    /// <summary>Server: the host name the client asked for (SNI); null when it sent none.</summary>
    public string? TargetHostName => _requestedServerName;

    /// <summary>Completes, never faulting, when the connection has ended: how and why.</summary>
    public Task<QuicCloseReason> Closed => _closed.Task;

    /// <summary>The largest DATAGRAM payload <see cref="TrySendDatagram"/> accepts now; 0 when the peer did not enable DATAGRAM frames.</summary>
    public int MaxDatagramPayloadSize
    {
        get
        {
            lock (_driver.Lock)
            {
                return IsCoreGone || _closeReason is not null ? 0 : Core.MaxDatagramPayloadSize;
            }
        }
    }

    /// <summary>
    /// Connects to a server and completes the handshake, returning once it is confirmed (RFC 9001 section 4.1.2: the
    /// server's HANDSHAKE_DONE), that is once the server has also judged this client's certificate. Throws
    /// <see cref="QuicException"/> when it fails: the TLS alert and reason (e.g. a server key that matches no pin, or
    /// the server refusing this client's certificate: a CRYPTO_ERROR with <see cref="QuicCloseReason.IsLocal"/> false in
    /// <see cref="QuicException.CloseReason"/>), <see cref="QuicError.ConnectionTimeout"/> after
    /// <see cref="QuicConnectionOptions.HandshakeTimeout"/>, <see cref="QuicError.ConnectionRefused"/>...
    /// </summary>
    public static async ValueTask<QuicConnection> ConnectAsync(QuicClientConnectionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();

        IPEndPoint remote = await ResolveAsync(options.RemoteEndPoint!, cancellationToken).ConfigureAwait(false);
        QuicClientAuthenticationOptions authentication = options.ClientAuthenticationOptions!;
        string? serverName = authentication.TargetHost ?? (options.RemoteEndPoint as DnsEndPoint)?.Host;
        IPEndPoint local = options.LocalEndPoint
            ?? new IPEndPoint(remote.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);

        TimeProvider time = options.TimeProvider ?? TimeProvider.System;
        ILogger logger = options.LoggerFactory?.CreateLogger<QuicConnection>() ?? NullLogger<QuicConnection>.Instance;
        IDatagramPath path = (options.DatagramPathFactory ?? DefaultPathFactory)(local);
        EndpointDriver driver;
        QuicConnection connection;
        try
        {
            var endpointOptions = new EndpointOptions { SendStatelessReset = options.SendStatelessReset };
            driver = new EndpointDriver(path, endpointOptions, time, logger, QuicMetrics.For(options.MeterFactory), acceptor: null);
        }
        catch
        {
            await path.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        try
        {
            var core = new ClientConnectionOptions { Tls = authentication.ToTlsOptions(serverName) };
            options.ApplyTo(core, driver.MaxDatagramSize, driver.SupportsEcn);
            driver.Start();
            connection = driver.Connect(core, SocketAddresses.ForPath(remote, driver.LocalEndPoint), options);
        }
        catch
        {
            await driver.StopAsync(new QuicCloseReason(QuicError.OperationAborted, true, null, null, "The connection could not start.")).ConfigureAwait(false);
            throw;
        }

        try
        {
            await connection._connected.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await driver.StopAsync(new QuicCloseReason(QuicError.OperationAborted, true, null, null, "Connecting was cancelled.")).ConfigureAwait(false);
            throw;
        }
        catch (QuicException)
        {
            // The connection ended before the handshake completed; let the endpoint go without waiting for the
            // closing period (nothing is left to say to this server).
            await driver.StopAsync(connection._closeReason!).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Opens a stream, waiting while the peer's stream limit (MAX_STREAMS) is exhausted. The peer learns of the stream
    /// with its first data.
    /// </summary>
    public async ValueTask<QuicStream> OpenOutboundStreamAsync(QuicStreamType type, CancellationToken cancellationToken = default)
    {
        StreamDirection direction = type switch
        {
            QuicStreamType.Bidirectional => StreamDirection.Bidirectional,
            QuicStreamType.Unidirectional => StreamDirection.Unidirectional,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a stream type."),
        };

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task available;
            lock (_driver.Lock)
            {
                ThrowIfUnusable();
                if (Core.TryOpenStream(direction, out ulong id))
                {
                    var stream = new QuicStream(this, id);
                    _streams.Add(id, stream);
                    return stream;
                }

                // Refused: STREAMS_BLOCKED goes out, and StreamsAvailable follows when the peer raises the limit.
                available = (_streamsAvailable[(int)direction] ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                _driver.MarkDirty(this);
            }

            _driver.Pump();
            await available.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits for the next stream the peer opens (either kind). Throws <see cref="QuicException"/> once the connection
    /// has ended.
    /// </summary>
    public async ValueTask<QuicStream> AcceptInboundStreamAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            return await _inbound.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            throw (_closeReason ?? new QuicCloseReason(QuicError.OperationAborted, true, null, null, "The connection was closed.")).ToException();
        }
    }

    /// <summary>
    /// Closes the connection with an application error code (CONNECTION_CLOSE type 0x1d). Returns once the frame was
    /// handed to the path; the closing period (three PTOs answering late packets) goes on in the background.
    /// Pending and later operations fail with <see cref="QuicError.OperationAborted"/>. Does nothing once closed.
    /// </summary>
    public ValueTask CloseAsync(long errorCode, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(errorCode);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(errorCode, (long)Coding.VarInt.MaxValue);
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        lock (_driver.Lock)
        {
            CloseLocked(_driver.Now, errorCode);
        }

        Wakes.Run();
        _driver.Pump();
        return ValueTask.CompletedTask;
    }

    /// <summary>Queues an unreliable DATAGRAM frame (RFC 9221). False when it cannot go: DATAGRAM not enabled by the peer, too large, queue full, or closed.</summary>
    public bool TrySendDatagram(ReadOnlySpan<byte> payload)
    {
        bool queued;
        lock (_driver.Lock)
        {
            if (IsCoreGone || _closeReason is not null || _disposed) return false;
            queued = Core.TrySendDatagram(payload);
            if (queued) _driver.MarkDirty(this);
        }

        if (queued) _driver.Pump();
        return queued;
    }

    /// <summary>
    /// Receives the next DATAGRAM payload into <paramref name="buffer"/> and returns its length. Throws
    /// <see cref="ArgumentException"/> when the waiting payload does not fit (it stays queued), and
    /// <see cref="QuicException"/> once the connection has ended. One receive at a time.
    /// </summary>
    public ValueTask<int> ReceiveDatagramAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<int>(cancellationToken);
        ValueTask<int> pending;
        lock (_driver.Lock)
        {
            ThrowIfUnusable();
            if (_datagramWaiter.IsArmed) throw new InvalidOperationException("Another datagram receive is pending.");
            if (Core.TryReadDatagram(buffer.Span, out int length)) return new ValueTask<int>(length);
            if (length > buffer.Length) throw new ArgumentException($"The next datagram has {length} bytes; the buffer holds {buffer.Length}.", nameof(buffer));
            _datagramBuffer = buffer;
            pending = _datagramWaiter.Arm();
        }

        _datagramWaiter.RegisterCancellation(cancellationToken, s_cancelDatagramReceive, this);
        return pending;
    }

    /// <summary>
    /// Client: moves the connection to a new local socket bound to <paramref name="localEndPoint"/> (default: an
    /// ephemeral port on the wildcard address of the current family), created with
    /// <see cref="QuicClientConnectionOptions.DatagramPathFactory"/>; this is active migration (RFC 9000 section 9.2).
    /// Call it when the local network changed (another interface, a new address). The next datagrams leave from the
    /// new socket with a connection ID not used before, validate the new path (PATH_CHALLENGE) and make the server
    /// follow at once; unless only the port changed, congestion control and the RTT estimate start afresh. The old
    /// socket is closed. Streams carry on. A NAT rebinding needs nothing from the client: the server follows it.
    /// </summary>
    /// <exception cref="InvalidOperationException">A server connection; or the migration is not possible: the handshake
    /// is not confirmed, the server sent disable_active_migration, or it has given no unused connection ID (the message
    /// says which). The connection is unchanged.</exception>
    /// <exception cref="QuicException">The connection has ended.</exception>
    public async ValueTask RebindAsync(IPEndPoint? localEndPoint = null, CancellationToken cancellationToken = default)
    {
        if (_isServer || _options is not QuicClientConnectionOptions client) throw new InvalidOperationException("Only a client connection moves to a new local socket.");
        cancellationToken.ThrowIfCancellationRequested();
        lock (_driver.Lock)
        {
            ThrowIfUnusable();
        }

        EndPoint current = _driver.LocalEndPoint;
        IPEndPoint local = localEndPoint
            ?? new IPEndPoint(current.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        IDatagramPath path = (client.DatagramPathFactory ?? DefaultPathFactory)(local);
        MigrationStatus status;
        try
        {
            status = await _driver.RebindAsync(this, path).ConfigureAwait(false);
        }
        catch
        {
            await path.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (status == MigrationStatus.Started) return;
        await path.DisposeAsync().ConfigureAwait(false);
        lock (_driver.Lock)
        {
            ThrowIfUnusable();
        }

        throw new InvalidOperationException(status switch
        {
            MigrationStatus.HandshakeNotConfirmed => "The connection cannot migrate before its handshake is confirmed.",
            MigrationStatus.DisabledByPeer => "The server does not allow active migration (disable_active_migration).",
            MigrationStatus.NoConnectionIdAvailable => "The server has not given an unused connection ID yet; try again after a round trip.",
            _ => "The connection is not established.",
        });
    }

    /// <summary>A snapshot of the connection's counters and recovery state (the last one once the connection is gone).</summary>
    public ConnectionStats GetStats()
    {
        lock (_driver.Lock)
        {
            return IsCoreGone ? _lastStats : Core.GetStats();
        }
    }

    /// <summary>
    /// Closes the connection with <see cref="QuicConnectionOptions.DefaultCloseErrorCode"/> unless it is already
    /// closed; its streams become unusable.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        lock (_driver.Lock)
        {
            if (_disposed) return ValueTask.CompletedTask;
            _disposed = true;
            CloseLocked(_driver.Now, _options.DefaultCloseErrorCode);
        }

        Wakes.Run();
        _driver.Pump();
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"QuicConnection {ConnectionIdText} ({_driver.Role}, {_remoteEndPoint})";

    private static IDatagramPath DefaultPathFactory(IPEndPoint local) => UdpDatagramPath.Bind(local);

    private static async ValueTask<IPEndPoint> ResolveAsync(EndPoint endPoint, CancellationToken cancellationToken)
    {
        if (endPoint is IPEndPoint ip) return ip;
        var dns = (DnsEndPoint)endPoint;
        IPAddress[] addresses = await Dns.GetHostAddressesAsync(dns.Host, dns.AddressFamily, cancellationToken).ConfigureAwait(false);
        IPAddress? chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
        if (chosen is null)
        {
            throw new QuicException(QuicError.InternalError, null, $"The host name '{dns.Host}' resolved to no address.");
        }

        return new IPEndPoint(chosen, dns.Port);
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_closeReason is { } reason) throw reason.ToException();
    }

    private void CancelDatagramReceive(CancellationToken token)
    {
        lock (_driver.Lock)
        {
            if (_datagramWaiter.TryDisarm(new OperationCanceledException(token)))
            {
                _datagramBuffer = default;
                Wakes.Add(_datagramWaiter);
            }
        }

        Wakes.Run();
    }

    // ---- Called by the driver and by streams, under the driver's lock ----

    /// <summary>Closes with an application code if still open, and delivers the resulting events.</summary>
    internal void CloseLocked(Instant now, long errorCode)
    {
        if (IsCoreGone || _closeReason is not null) return;
        Core.Close(now, (ulong)errorCode, default, isApplication: true);
        _driver.MarkDirty(this);
        ServiceEvents(now);
    }

    /// <summary>The driver stops: end the connection with <paramref name="reason"/> unless it already ended.</summary>
    internal void AbandonLocked(QuicCloseReason reason)
    {
        if (IsCoreGone) return;
        _lastStats = Core.GetStats();
        OnClosed(reason, _driver.Now);
        IsCoreGone = true;
    }

    /// <summary>An unexpected exception from the core while serving this connection: abandon it.</summary>
    internal void FailLocked(Exception exception)
    {
        if (IsCoreGone) return;
        QuicLog.PathFailed(_driver.Logger, exception, _driver.LocalEndPoint, $"serving connection {ConnectionIdText} (it is abandoned)", 1);
        var reason = new QuicCloseReason(QuicError.InternalError, true, null, null, $"Internal error: {exception.Message}");
        _lastStats = Core.GetStats();
        OnClosed(reason, _driver.Now);
        _driver.Abandon(this);
    }

    /// <summary>A deadline of this connection passed.</summary>
    internal void OnTimer(Instant now)
    {
        if (Core.NextTimeout <= now) Core.HandleTimeout(now);
        if (HandshakeDeadline <= now && !_isConnected && _closeReason is null)
        {
            // Like quic-go, give up silently: nothing was established that a CONNECTION_CLOSE would end.
            _lastStats = Core.GetStats();
            OnClosed(new QuicCloseReason(QuicError.ConnectionTimeout, true, null, null, $"The handshake did not complete within {_options.HandshakeTimeout.TotalSeconds:0.###} s."), now);
            _driver.Abandon(this);
        }
    }

    /// <summary>Delivers the core's events to waiting operations.</summary>
    internal void ServiceEvents(Instant now)
    {
        while (!IsCoreGone && Core.TryPollEvent(out ConnectionEvent connectionEvent))
        {
            Dispatch(in connectionEvent, now);
        }

        if (IsCoreGone) return;
        if (_isConnected && !Core.RemoteAddress.Equals(_knownRemote)) OnPeerAddressChanged();
        if (now >= _nextSample) SampleMetrics(now);
    }

    /// <summary>Streams whose events are still routed (tests).</summary>
    internal int TrackedStreamCount
    {
        get
        {
            lock (_driver.Lock)
            {
                return _streams.Count;
            }
        }
    }

    /// <summary>Starts tracking a stream whose FIN is queued until the peer has acknowledged everything (the core's StreamFinishAcknowledged).</summary>
    internal void TrackFinishing(QuicStream stream) => _finishing[(ulong)stream.Id] = stream;

    /// <summary>The stream's writing side ended otherwise (reset, STOP_SENDING): no acknowledgment will come.</summary>
    internal void StopTrackingFinishing(QuicStream stream)
    {
        if (_finishing.TryGetValue((ulong)stream.Id, out QuicStream? tracked) && tracked == stream) _finishing.Remove((ulong)stream.Id);
    }

    internal void RemoveStream(QuicStream stream)
    {
        if (_streams.TryGetValue((ulong)stream.Id, out QuicStream? registered) && registered == stream) _streams.Remove((ulong)stream.Id);
    }

    private void Dispatch(in ConnectionEvent e, Instant now)
    {
        switch (e.Kind)
        {
            case ConnectionEventKind.Connected when _isServer:
                OnConnected(now);
                break;
            case ConnectionEventKind.HandshakeConfirmed when !_isServer:
                // A client is connected once the server confirmed the handshake: it has accepted our certificate.
                OnConnected(now);
                break;
            case ConnectionEventKind.StreamOpened:
                OnPeerStream(e.StreamId);
                break;
            case ConnectionEventKind.StreamReadable when _streams.TryGetValue(e.StreamId, out QuicStream? stream):
                stream.OnReadable();
                break;
            case ConnectionEventKind.StreamWritable when _streams.TryGetValue(e.StreamId, out QuicStream? stream):
                stream.OnWritable();
                break;
            case ConnectionEventKind.StreamReset when _streams.TryGetValue(e.StreamId, out QuicStream? stream):
                stream.OnPeerReset((long)e.ErrorCode);
                break;
            case ConnectionEventKind.StreamStopSending when _streams.TryGetValue(e.StreamId, out QuicStream? stream) || _finishing.TryGetValue(e.StreamId, out stream):
                stream.OnPeerStopSending((long)e.ErrorCode);
                break;
            case ConnectionEventKind.StreamFinishAcknowledged when _finishing.Remove(e.StreamId, out QuicStream? stream):
                stream.OnFinishAcknowledged();
                break;
            case ConnectionEventKind.StreamsAvailable:
                int direction = (int)e.Direction;
                _streamsAvailable[direction]?.TrySetResult();
                _streamsAvailable[direction] = null;
                break;
            case ConnectionEventKind.DatagramReceived:
                OnDatagramReceived();
                break;
            case ConnectionEventKind.ConnectionClosed:
                _lastStats = Core.GetStats();
                OnClosed(QuicCloseReason.FromConnectionError(e.Error, _isConnected), now);
                break;
            case ConnectionEventKind.Drained:
                _lastStats = Core.GetStats();
                IsCoreGone = true;
                Core.Dispose();
                _driver.OnConnectionGone(this);
                break;
        }
    }

    private void OnConnected(Instant now)
    {
        if (_isConnected || _closeReason is not null) return;
        _isConnected = true;
        HandshakeDeadline = Instant.Never;
        _applicationProtocol = Core.NegotiatedApplicationProtocol ?? default;
        _cipherSuite = Core.NegotiatedCipherSuite ?? default;
        _keyExchangeGroup = Core.NegotiatedKeyExchangeGroup ?? default;
        _remoteCertificate = Core.PeerCertificate;
        _clientIdentity = Core.ClientIdentity;
        _requestedServerName = Core.RequestedServerName;
        _remoteEndPoint = SocketAddresses.ToEndPoint(Core.RemoteAddress);
        ConnectionStats stats = Core.GetStats();
        TimeSpan handshake = stats.HandshakeDuration ?? (now - _startedAt);
        if (_driver.Logger.IsEnabled(LogLevel.Information))
        {
            QuicLog.HandshakeCompleted(
                _driver.Logger, _driver.Role, ConnectionIdText, handshake.TotalMilliseconds,
                _applicationProtocol.ToString(), _cipherSuite.ToString(), _keyExchangeGroup.ToString());
        }

        if (_driver.Metrics is { } metrics)
        {
            metrics.HandshakeSucceeded(_driver.Role, handshake);
            metrics.ConnectionOpened(_driver.Role);
            metrics.Sample(_driver.Role, stats.SmoothedRtt, 0);
            _nextSample = now + QuicMetrics.SampleInterval;
        }

        if (_isServer) _driver.Acceptor!.OnConnected(this);
        else _connected.TrySetResult();
    }

    /// <summary>The core now sends to another address (a server following its client's rebinding or migration).</summary>
    private void OnPeerAddressChanged()
    {
        _knownRemote = CopyAddress(Core.RemoteAddress);
        _remoteEndPoint = SocketAddresses.ToEndPoint(Core.RemoteAddress);
        if (_driver.Logger.IsEnabled(LogLevel.Debug))
        {
            QuicLog.PeerAddressChanged(_driver.Logger, _driver.Role, ConnectionIdText, _remoteEndPoint);
        }
    }

    private static SocketAddress CopyAddress(SocketAddress address)
    {
        var copy = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(copy.Buffer.Span);
        return copy;
    }

    private void OnPeerStream(ulong id)
    {
        if (_closeReason is not null) return;
        var stream = new QuicStream(this, id);
        if (_inbound.Writer.TryWrite(stream))
        {
            _streams.Add(id, stream);
            return;
        }

        // Cannot happen while the peer respects our stream limits (the queue holds as many streams as it may open).
        QuicLog.InboundStreamRefused(_driver.Logger, ConnectionIdText, (long)id);
        var streamId = new StreamId(id);
        ulong code = (ulong)_options.DefaultStreamErrorCode;
        Core.StreamStopSending(id, code);
        if (streamId.Direction == StreamDirection.Bidirectional) Core.StreamReset(id, code);
        _driver.MarkDirty(this);
    }

    private void OnDatagramReceived()
    {
        if (!_datagramWaiter.IsArmed) return;
        if (Core.TryReadDatagram(_datagramBuffer.Span, out int length))
        {
            _datagramWaiter.TryDisarm(length);
        }
        else if (length > _datagramBuffer.Length)
        {
            _datagramWaiter.TryDisarm(new ArgumentException($"The next datagram has {length} bytes; the buffer holds {_datagramBuffer.Length}."));
        }
        else
        {
            return;
        }

        _datagramBuffer = default;
        Wakes.Add(_datagramWaiter);
    }

    private void OnClosed(QuicCloseReason reason, Instant now)
    {
        if (_closeReason is not null) return;
        _closeReason = reason;
        QuicException error = reason.ToException();
        foreach (QuicStream stream in _streams.Values)
        {
            stream.OnConnectionClosed(error);
        }

        foreach (QuicStream stream in new List<QuicStream>(_finishing.Values))
        {
            stream.OnConnectionClosed(error);
        }

        _finishing.Clear();
        _inbound.Writer.TryComplete(error);
        for (int i = 0; i < _streamsAvailable.Length; i++)
        {
            _streamsAvailable[i]?.TrySetException(error);
            _streamsAvailable[i] = null;
        }

        if (_datagramWaiter.TryDisarm(error))
        {
            _datagramBuffer = default;
            Wakes.Add(_datagramWaiter);
        }

        ConnectionStats stats = _lastStats;
        if (!_isConnected)
        {
            HandshakeDeadline = Instant.Never;
            if (_driver.Logger.IsEnabled(LogLevel.Information))
            {
                QuicLog.HandshakeFailed(_driver.Logger, _driver.Role, ConnectionIdText, (now - _startedAt).TotalMilliseconds, reason.Message);
            }

            _driver.Metrics?.HandshakeFailed(_driver.Role, FailureCategory(reason));
            if (_isServer) _driver.Acceptor!.OnHandshakeFailed(this);
            else if (_connected.TrySetException(error)) _ = _connected.Task.Exception;
        }
        else
        {
            if (_driver.Logger.IsEnabled(LogLevel.Information))
            {
                QuicLog.ConnectionClosed(
                    _driver.Logger, _driver.Role, ConnectionIdText, (now - _startedAt).TotalSeconds, reason.Message,
                    stats.BytesSent, stats.PacketsSent, stats.BytesReceived, stats.PacketsLost, stats.SmoothedRtt.TotalMilliseconds);
            }

            if (_driver.Metrics is { } metrics)
            {
                metrics.Sample(_driver.Role, stats.SmoothedRtt, stats.PacketsLost - _lostReported);
                _lostReported = stats.PacketsLost;
                metrics.ConnectionClosed(_driver.Role);
            }
        }

        _nextSample = Instant.Never;
        _closed.TrySetResult(reason);
    }

    private void SampleMetrics(Instant now)
    {
        _nextSample = now + QuicMetrics.SampleInterval;
        if (_driver.Metrics is not { } metrics || !_isConnected) return;
        ConnectionStats stats = Core.GetStats();
        metrics.Sample(_driver.Role, stats.SmoothedRtt, stats.PacketsLost - _lostReported);
        _lostReported = stats.PacketsLost;
    }

    private static string FailureCategory(QuicCloseReason reason) => reason.Error switch
    {
        QuicError.ConnectionTimeout => "timeout",
        QuicError.ConnectionRefused => "refused",
        QuicError.VersionNegotiationError => "version",
        QuicError.InternalError => "path",
        QuicError.OperationAborted => "local",
        QuicError.TransportError when reason.TransportErrorCode is >= 0x100 and <= 0x1ff => "tls",
        QuicError.TransportError => "transport",
        _ => "peer_closed",
    };
}
