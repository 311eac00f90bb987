using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using AwgProxy.Quic.Congestion;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Packets;
using AwgProxy.Quic.Recovery;
using AwgProxy.Quic.Streams;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Quic.Connections;

/// <summary>
/// One QUIC v1 connection as a sans-IO state machine (RFC 9000, 9001, 9002, 9221): fed datagrams and the time,
/// polled for datagrams to send, events and the next deadline. It owns no socket, timer, clock or thread.
/// </summary>
/// <remarks>
/// <para>Driving it (see docs/quic.md):</para>
/// <list type="number">
/// <item>Feed every datagram routed to it with <see cref="HandleDatagram"/> (usually through
/// <see cref="Endpoint.HandleDatagram"/>), and call <see cref="HandleTimeout"/> when <see cref="NextTimeout"/>
/// passes.</item>
/// <item>After any call (input, timeout, or a stream/datagram/close call), loop <see cref="TryPollTransmit"/>
/// until it returns false and send what it wrote, then drain <see cref="TryPollEvent"/>, then re-arm the timer
/// from <see cref="NextTimeout"/>.</item>
/// </list>
/// <para>
/// Not thread-safe: a connection and its endpoint form one unit whose calls the caller serialises. Nothing
/// received from the network throws; misuse of the API (an unknown stream, the wrong direction, a too small
/// buffer) throws <see cref="ArgumentException"/> or <see cref="InvalidOperationException"/>.
/// </para>
/// </remarks>
public sealed partial class Connection : IDisposable
{
    private const int SpaceCount = 3;

    private readonly bool _isServer;
    private readonly ConnectionOptions _options;
    private readonly IConnectionHost? _host;
    private readonly RandomFill _random;
    private readonly TlsSession _tls;
    private readonly PacketSpace[] _spaces = new PacketSpace[SpaceCount];
    private readonly LossDetection _loss;
    private readonly Pacer _pacer;
    private readonly ICongestionControllerFactory _congestionFactory;
    private readonly SentPacketLog _sentLog = new();
    private readonly Queue<ConnectionEvent> _events = new();
    private readonly LocalConnectionIdSet _localIds;
    private readonly PeerConnectionIdSet _peerIds;
    private readonly ConnectionId _originalDestinationId;
    private readonly int _localCidLength;
    private readonly List<PendingPacket> _pendingPackets = [];
    private TimerTable _timers = new();
    private ConnectionId _initialDestinationId;
    private ConnectionId? _retrySourceId;

    private ConnectionState _state = ConnectionState.Handshaking;
    private ConnectionError? _error;
    private TransportParameters? _peerParameters;
    private bool _handshakeComplete;
    private bool _handshakeConfirmed;
    private bool _disposed;

    private readonly Instant _createdAt;
    private TimeSpan? _handshakeDuration;
    private TimeSpan _idleTimeout;
    private bool _ackElicitingSentSinceLastReceive;

    /// <summary>When the first ack-eliciting packet since the last packet from the peer was sent (dead-path detection).</summary>
    private Instant _firstUnansweredSend = Instant.Never;
    private Instant _lastAckElicitingSent;

    // Counters for ConnectionStats.
    private long _datagramsSent;
    private long _datagramsReceived;
    private long _bytesSent;
    private long _bytesReceived;
    private long _packetsSent;
    private long _packetsReceived;
    private long _packetsDropped;
    private long _decryptionFailures;
    private long _localStreamsOpened;
    private long _peerStreamsOpened;
    private long _datagramFramesSent;
    private long _datagramFramesReceived;
    private long _datagramFramesDropped;
    private int _pathMigrations;

    internal Connection(bool isServer, Instant now, ConnectionOptions options, IConnectionHost? host, RandomFill random, in ConnectionSetup setup, StatelessResetToken localResetToken)
    {
        _isServer = isServer;
        options = options.Snapshot();
        _options = options;
        _host = host;
        _random = options.Random ?? random;
        _createdAt = now;
        _originalDestinationId = setup.OriginalDestinationConnectionId;
        _initialDestinationId = setup.InitialDestinationConnectionId;
        _retrySourceId = setup.RetrySourceConnectionId;
        _localCidLength = setup.LocalConnectionId.Length;
        _peerInitialSourceId = isServer ? setup.PeerConnectionId : null;
        _path = new PathState(setup.Remote, isValidated: !isServer || setup.AddressValidated);

        for (int i = 0; i < SpaceCount; i++) _spaces[i] = new PacketSpace((PacketNumberSpace)i, options.MaxAckDelay);
        ApplicationSpace.Received.AckElicitingThreshold = options.AckElicitingThreshold;
        ApplicationSpace.Received.BulkAckElicitingThreshold = options.BulkAckElicitingThreshold;
        InstallInitialKeys(_initialDestinationId);

        _localIds = new LocalConnectionIdSet(setup.LocalConnectionId, localResetToken);
        _peerIds = new PeerConnectionIdSet(setup.PeerConnectionId, options.ActiveConnectionIdLimit);

        var rtt = new RttEstimator(options.InitialRtt);
        ICongestionControllerFactory factory = options.CongestionControllerFactory ?? new CongestionControllerFactory(options.CongestionControl);
        _congestionFactory = factory;
        ICongestionController congestion = factory.Create(now, MinimumMaxDatagramSize);
        _loss = new LossDetection(isServer, congestion, rtt);
        _pacer = new Pacer(MinimumMaxDatagramSize, congestion.CongestionWindow);
        _pmtud = new PathMtuDiscovery(options.PathMtuRaiseInterval);

        _idleTimeout = options.IdleTimeout;
        _streamLimits = new StreamLimits(Role, options.MaxBidirectionalStreams, options.MaxUnidirectionalStreams);
        _receiveWindow = new ReceiveWindow(options.InitialMaxData, options.MaxConnectionReceiveWindow);
        _datagramSendQueue = new DatagramQueue(options.DatagramSendQueueLength);
        _datagramReceiveQueue = new DatagramQueue(options.DatagramReceiveQueueLength);

        byte[] transportParameters = BuildTransportParameters(in setup, localResetToken);
        _tls = isServer
            ? TlsSession.CreateServer(((ServerConnectionOptions)options).Tls!, transportParameters, _random)
            : TlsSession.CreateClient(((ClientConnectionOptions)options).Tls!, transportParameters, _random);

        RestartIdleTimer(now);
        if (!isServer)
        {
            _tls.Start();
            ProcessTlsEvents(now);
        }

        UpdateTimers(now);
    }

    /// <summary>The smallest maximum datagram size (RFC 9000 section 14): used until the handshake is confirmed.</summary>
    public const int MinimumMaxDatagramSize = 1200;

    public bool IsServer => _isServer;

    public ConnectionState State => _state;

    /// <summary>How the connection ended; null while it is alive.</summary>
    public ConnectionError? Error => _error;

    /// <summary>The ALPN protocol agreed in the handshake.</summary>
    public SslApplicationProtocol? NegotiatedApplicationProtocol => _tls.ApplicationProtocol;

    /// <summary>The TLS 1.3 cipher suite the handshake chose (null until the server's hello was sent or processed).</summary>
    public CipherSuite? NegotiatedCipherSuite => _tls.CipherSuite;

    /// <summary>The (EC)DHE group of the key exchange (after a HelloRetryRequest: the group it asked for); null until chosen.</summary>
    public NamedGroup? NegotiatedKeyExchangeGroup => _tls.KeyExchangeGroup;

    /// <summary>The certificate the peer authenticated with (client: the server's; server: the client's, if any).</summary>
    public TlsPeerCertificate? PeerCertificate => _tls.PeerCertificate;

    /// <summary>Server: what the client certificate validator returned for the client (its identity); null otherwise.</summary>
    public object? ClientIdentity => (_tls as TlsServerSession)?.ClientIdentity;

    /// <summary>Server: the host name the client asked for (SNI).</summary>
    public string? RequestedServerName => (_tls as TlsServerSession)?.RequestedServerName;

    /// <summary>The address datagrams are sent to (it changes when the server follows a NAT rebinding).</summary>
    public SocketAddress RemoteAddress => _path.Remote;

    /// <summary>The connection ID we chose for the handshake (sequence 0).</summary>
    public ConnectionId LocalConnectionId => _localIds.Initial;

    /// <summary>The connection IDs that currently route to this connection.</summary>
    public IReadOnlyList<ConnectionId> LocalConnectionIds
    {
        get
        {
            var ids = new ConnectionId[_localIds.ActiveCount];
            for (int i = 0; i < ids.Length; i++) ids[i] = _localIds[i];
            return ids;
        }
    }

    /// <summary>The connection ID the peer chose and we send to.</summary>
    public ConnectionId RemoteConnectionId => _peerIds.Current;

    /// <summary>The earliest time <see cref="HandleTimeout"/> must be called (<see cref="Instant.Never"/> when nothing is scheduled).</summary>
    public Instant NextTimeout => _timers.Next;

    private StreamInitiator Role => _isServer ? StreamInitiator.Server : StreamInitiator.Client;

    /// <summary>Routing support for the endpoint: the active local connection IDs.</summary>
    internal int LocalIdCount => _localIds.ActiveCount;

    internal ConnectionId GetLocalId(int index) => _localIds[index];

    /// <summary>The Destination Connection ID of the client's Initial packets (server: routes the handshake).</summary>
    internal ConnectionId InitialDestinationId => _initialDestinationId;

    /// <summary>Sent packets whose fate (acknowledged, lost, discarded) is not known yet (tests and diagnostics).</summary>
    internal int SentPacketsOutstanding => _sentLog.LivePackets;


    /// <summary>The TLS session (tests and diagnostics).</summary>
    internal TlsSession TlsSession => _tls;

    /// <summary>At least one packet from the peer was decrypted and processed.</summary>
    internal bool HasReceivedFromPeer => _receivedFromPeer;

    private PacketSpace InitialSpace => _spaces[(int)PacketNumberSpace.Initial];

    private PacketSpace HandshakeSpace => _spaces[(int)PacketNumberSpace.Handshake];

    private PacketSpace ApplicationSpace => _spaces[(int)PacketNumberSpace.ApplicationData];

    private bool IsClosingOrDraining => _state is ConnectionState.Closing or ConnectionState.Draining or ConnectionState.Closed;

    /// <summary>The current Probe Timeout (RFC 9002 section 6.2.1).</summary>
    private TimeSpan ProbeTimeout => _loss.Rtt.ProbeTimeout(_loss.PeerMaxAckDelay);

    /// <summary>
    /// Takes the next event. Events are queued in the order they happened; StreamReadable and StreamWritable are
    /// raised at most once per stream until polled, DatagramReceived once until polled.
    /// </summary>
    public bool TryPollEvent(out ConnectionEvent connectionEvent)
    {
        if (!_events.TryDequeue(out connectionEvent)) return false;
        switch (connectionEvent.Kind)
        {
            case ConnectionEventKind.StreamReadable when _streams.TryGetValue(connectionEvent.StreamId, out StreamEntry? readable):
                readable.ReadableEventQueued = false;
                break;
            case ConnectionEventKind.StreamWritable when _streams.TryGetValue(connectionEvent.StreamId, out StreamEntry? writable):
                writable.WritableEventQueued = false;
                break;
            case ConnectionEventKind.DatagramReceived:
                _datagramEventQueued = false;
                break;
        }

        return true;
    }

    /// <summary>A snapshot of the counters and the recovery state.</summary>
    public ConnectionStats GetStats()
    {
        RecoveryStats recovery = _loss.GetStats();
        return new ConnectionStats
        {
            DatagramsSent = _datagramsSent,
            DatagramsReceived = _datagramsReceived,
            BytesSent = _bytesSent,
            BytesReceived = _bytesReceived,
            PacketsSent = _packetsSent,
            PacketsReceived = _packetsReceived,
            PacketsDropped = _packetsDropped,
            DecryptionFailures = _decryptionFailures,
            PacketsLost = recovery.PacketsLost,
            BytesLost = recovery.BytesLost,
            ProbeTimeouts = recovery.ProbeTimeouts,
            CongestionEvents = recovery.CongestionEvents,
            SmoothedRtt = recovery.SmoothedRtt,
            MinRtt = recovery.MinRtt,
            LatestRtt = recovery.LatestRtt,
            RttVariation = recovery.RttVariation,
            CongestionWindow = recovery.CongestionWindow,
            BytesInFlight = recovery.BytesInFlight,
            MaxDatagramSize = CurrentMaxDatagramSize,
            KeyUpdates = _keyUpdates,
            HandshakeDuration = _handshakeDuration,
            LocalStreamsOpened = _localStreamsOpened,
            PeerStreamsOpened = _peerStreamsOpened,
            DatagramFramesSent = _datagramFramesSent,
            DatagramFramesReceived = _datagramFramesReceived,
            DatagramFramesDropped = _datagramFramesDropped,
            PathMigrations = _pathMigrations,
            PathValidationFailures = _pathValidationFailures,
            PeerConnectionIdRotations = _peerConnectionIdRotations,
            EcnState = _loss.Ecn.State,
        };
    }

    /// <summary>Releases keys and pooled buffers. The connection must not be used afterwards.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _tls.Dispose();
        foreach (PacketSpace space in _spaces) space.Dispose();
        foreach (StreamEntry entry in _streams.Values) entry.State.Dispose();
        _streams.Clear();
        foreach (PendingPacket pending in _pendingPackets) pending.Release();
        _pendingPackets.Clear();
        _datagramSendQueue.Dispose();
        _datagramReceiveQueue.Dispose();
    }

    private void Emit(in ConnectionEvent connectionEvent) => _events.Enqueue(connectionEvent);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Derives the Initial keys from the client's Destination Connection ID (RFC 9001 section 5.2).</summary>
    private void InstallInitialKeys(ConnectionId clientDestinationId)
    {
        Span<byte> clientSecret = stackalloc byte[InitialSecrets.SecretLength];
        Span<byte> serverSecret = stackalloc byte[InitialSecrets.SecretLength];
        try
        {
            InitialSecrets.Derive(clientDestinationId.AsSpan(), clientSecret, serverSecret);
            var client = new DirectionKeys(InitialSecrets.Suite, clientSecret);
            var server = new DirectionKeys(InitialSecrets.Suite, serverSecret);
            if (_isServer) InitialSpace.ReplaceKeys(send: server, receive: client);
            else InitialSpace.ReplaceKeys(send: client, receive: server);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(clientSecret);
            CryptographicOperations.ZeroMemory(serverSecret);
        }
    }

    /// <summary>Our transport parameters (RFC 9000 section 18.2), encoded for the TLS extension.</summary>
    private byte[] BuildTransportParameters(in ConnectionSetup setup, StatelessResetToken localResetToken)
    {
        ConnectionOptions o = _options;
        var parameters = new TransportParameters
        {
            MaxIdleTimeoutMilliseconds = (ulong)o.IdleTimeout.TotalMilliseconds,
            MaxUdpPayloadSize = (ulong)o.MaxDatagramSize,
            InitialMaxData = o.InitialMaxData,
            InitialMaxStreamDataBidiLocal = o.InitialMaxStreamDataBidiLocal,
            InitialMaxStreamDataBidiRemote = o.InitialMaxStreamDataBidiRemote,
            InitialMaxStreamDataUni = o.InitialMaxStreamDataUni,
            InitialMaxStreamsBidi = o.MaxBidirectionalStreams,
            InitialMaxStreamsUni = o.MaxUnidirectionalStreams,
            AckDelayExponent = o.AckDelayExponent,
            MaxAckDelayMilliseconds = (ulong)o.MaxAckDelay.TotalMilliseconds,
            ActiveConnectionIdLimit = (ulong)o.ActiveConnectionIdLimit,
            MaxDatagramFrameSize = o.MaxDatagramFrameSize > 0 ? o.MaxDatagramFrameSize : null,
            InitialSourceConnectionId = setup.LocalConnectionId,
            DisableActiveMigration = o.DisableActiveMigration,
        };
        if (_isServer)
        {
            parameters.OriginalDestinationConnectionId = setup.OriginalDestinationConnectionId;
            parameters.RetrySourceConnectionId = setup.RetrySourceConnectionId;
            parameters.StatelessResetToken = localResetToken;
        }

        return parameters.ToArray();
    }
}
