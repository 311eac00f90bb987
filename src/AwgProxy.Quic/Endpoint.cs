using System.Net;
using System.Security.Cryptography;
using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Endpoints;
using AwgProxy.Quic.Packets;
using AwgProxy.Quic.Tls;

namespace AwgProxy.Quic;

/// <summary>
/// The connections of one UDP socket (RFC 9000 section 5.2): routes incoming datagrams to connections by
/// Destination Connection ID, accepts new client connections (server), and answers statelessly where configured:
/// Version Negotiation, Retry, stateless reset. Sans-IO like <see cref="Connection"/>.
/// </summary>
/// <remarks>
/// An endpoint and all its connections form one single-threaded unit: the caller serialises every call on the
/// endpoint and on any of its connections. Connections report connection ID changes to their endpoint
/// synchronously; a drained connection is forgotten automatically.
/// </remarks>
public sealed class Endpoint : IConnectionHost, IDisposable
{
    /// <summary>A client's first Destination Connection ID has at least 8 bytes (RFC 9000 section 7.2).</summary>
    private const int MinimumInitialDestinationLength = 8;

    private readonly int _idLength;
    private readonly RandomFill _random;
    private readonly ServerConnectionOptions? _server;
    private readonly bool _requireRetry;
    private readonly bool _sendVersionNegotiation;
    private readonly bool _sendStatelessReset;
    private readonly long _resetRate;
    private long _resetBudget;
    private Instant _resetBudgetTime = Instant.Never;
    private readonly int _maxConnections;
    private readonly Func<SocketAddress, bool>? _admit;
    private readonly Dictionary<ConnectionId, Connection> _routes = [];
    // The client-chosen Destination Connection IDs of handshakes, kept until the connection drains so that late or
    // retransmitted client Initials never start a second connection.
    private readonly Dictionary<ConnectionId, Connection> _handshakeRoutes = [];
    private readonly HashSet<Connection> _connections = [];
    private readonly Dictionary<StatelessResetToken, Connection> _peerResetTokens = [];
    private readonly Dictionary<SocketAddress, Connection> _addressRoutes = [];
    private readonly StatelessResetTokenGenerator _resetTokens;
    private readonly RetryTokenProtector _retryTokens;
    private readonly long[] _drops = new long[Enum.GetValues<EndpointDropReason>().Length];
    private bool _disposed;

    /// <summary>Creates an endpoint; throws <see cref="ArgumentException"/> naming an invalid option.</summary>
    public Endpoint(EndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _idLength = options.LocalConnectionIdLength;
        _random = options.Random ?? RandomNumberGenerator.Fill;
        _server = options.Server;
        _requireRetry = options.RequireRetry;
        _sendVersionNegotiation = options.SendVersionNegotiation;
        _sendStatelessReset = options.SendStatelessReset;
        _resetRate = options.MaxStatelessResetsPerSecond;
        _resetBudget = _resetRate * TimeSpan.TicksPerSecond;
        _maxConnections = options.MaxConnections;
        _admit = options.AdmitConnection;
        if (_server is not null)
        {
            // Surface TLS configuration errors now, not on the first client.
            TlsSession.CreateServer(_server.Tls!, [], null).Dispose();
        }

        Span<byte> staticKey = stackalloc byte[32];
        Span<byte> derived = stackalloc byte[HMACSHA256.HashSizeInBytes];
        try
        {
            if (options.StaticKey is { } key) key.CopyTo(staticKey);
            else RandomNumberGenerator.Fill(staticKey);
            HMACSHA256.HashData(staticKey, "awgproxy stateless reset"u8, derived);
            _resetTokens = new StatelessResetTokenGenerator(derived);
            HMACSHA256.HashData(staticKey, "awgproxy retry token"u8, derived);
            _retryTokens = new RetryTokenProtector(derived[..16], _random, options.RetryTokenLifetime);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(staticKey);
            CryptographicOperations.ZeroMemory(derived);
        }
    }

    /// <summary>True when the endpoint accepts connections.</summary>
    public bool IsServer => _server is not null;

    public int LocalConnectionIdLength => _idLength;

    /// <summary>Connections not yet drained (or forgotten).</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>How many datagrams were dropped for <paramref name="reason"/>.</summary>
    public long GetDropCount(EndpointDropReason reason) => _drops[(int)reason];

    /// <summary>
    /// Starts a client connection to <paramref name="remote"/>: its first datagram (the ClientHello) is ready to be
    /// polled. Throws <see cref="ArgumentException"/> for invalid options.
    /// </summary>
    public Connection Connect(Instant now, ClientConnectionOptions options, SocketAddress remote)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(remote);
        options.Validate();
        if (_idLength == 0 && _addressRoutes.ContainsKey(remote))
        {
            throw new InvalidOperationException("An endpoint with zero-length connection IDs holds one connection per server address.");
        }

        ConnectionId local = _idLength == 0 ? ConnectionId.Empty : NewUniqueConnectionId();
        Span<byte> destinationBytes = stackalloc byte[MinimumInitialDestinationLength];
        _random(destinationBytes);
        var destination = new ConnectionId(destinationBytes);
        var setup = new ConnectionSetup(remote, local, destination, destination, destination, null, false);
        var connection = new Connection(false, now, options, this, _random, in setup, _resetTokens.Generate(local));
        if (_idLength == 0) _addressRoutes[connection.RemoteAddress] = connection;
        else _routes[local] = connection;
        _connections.Add(connection);
        return connection;
    }

    /// <summary>
    /// Handles one datagram from <paramref name="remote"/>: routes it to its connection (which decrypts it in place),
    /// accepts a new connection, answers statelessly into <paramref name="responseBuffer"/>, or drops it. Never
    /// throws on network bytes.
    /// </summary>
    /// <param name="now">When the datagram was received.</param>
    /// <param name="remote">Its source address (copied when kept).</param>
    /// <param name="datagram">The UDP payload; modified in place.</param>
    /// <param name="ecn">The ECN codepoint of its IP header.</param>
    /// <param name="responseBuffer">Where a stateless answer is written (1200 bytes suffice).</param>
    /// <param name="responseLength">The answer's length when the result is <see cref="EndpointReceiveKind.Response"/>.</param>
    public EndpointReceiveResult HandleDatagram(Instant now, SocketAddress remote, Span<byte> datagram, EcnCodepoint ecn, Span<byte> responseBuffer, out int responseLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(remote);
        responseLength = 0;
        if (datagram.IsEmpty) return Drop(EndpointDropReason.Malformed);
        return (datagram[0] & 0x80) != 0
            ? HandleLongHeader(now, remote, datagram, ecn, responseBuffer, out responseLength)
            : HandleShortHeader(now, remote, datagram, ecn, responseBuffer, out responseLength);
    }

    /// <summary>Stops routing to <paramref name="connection"/> (e.g. a driver abandoning it). Drained connections are forgotten automatically.</summary>
    public void Forget(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        RemoveRoutes(connection);
        _connections.Remove(connection);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (Connection connection in _connections) connection.Dispose();
        _connections.Clear();
        _routes.Clear();
        _handshakeRoutes.Clear();
        _retryTokens.Dispose();
    }

    private EndpointReceiveResult HandleShortHeader(Instant now, SocketAddress remote, Span<byte> datagram, EcnCodepoint ecn, Span<byte> responseBuffer, out int responseLength)
    {
        responseLength = 0;
        if (datagram.Length < 1 + _idLength) return Drop(EndpointDropReason.Malformed);
        var destination = new ConnectionId(datagram.Slice(1, _idLength));
        if (_routes.TryGetValue(destination, out Connection? connection) || (_idLength == 0 && _addressRoutes.TryGetValue(remote, out connection)))
        {
            connection.HandleDatagram(now, datagram, remote, ecn);
            return EndpointReceiveResult.Routed(connection);
        }

        // A stateless reset carries a random connection ID: recognise it by its token (and never answer it).
        if (TryGetResetConnection(remote, datagram, out connection))
        {
            connection.OnStatelessReset(now);
            return EndpointReceiveResult.Routed(connection);
        }

        if (!_sendStatelessReset || _idLength == 0) return Drop(EndpointDropReason.UnknownConnectionId);

        // RFC 9000 section 10.3: smaller than the trigger (no loops), never three times larger.
        int length = StatelessReset.GetLength(datagram.Length);
        if (length == 0 || responseBuffer.Length < length) return Drop(EndpointDropReason.UnknownConnectionId);
        if (!TryTakeResetToken(now)) return Drop(EndpointDropReason.StatelessResetRateLimited);
        Span<byte> random = stackalloc byte[length];
        _random(random);
        var writer = new SpanWriter(responseBuffer);
        StatelessReset.Write(ref writer, length, random, _resetTokens.Generate(destination));
        responseLength = length;
        return EndpointReceiveResult.Answered(EndpointResponseKind.StatelessReset);
    }

    private EndpointReceiveResult HandleLongHeader(Instant now, SocketAddress remote, Span<byte> datagram, EcnCodepoint ecn, Span<byte> responseBuffer, out int responseLength)
    {
        responseLength = 0;
        if (!PacketHeader.TryParse(datagram, _idLength, out PacketHeader header, out PacketHeaderError error))
        {
            if (error == PacketHeaderError.UnsupportedVersion) return AnswerUnsupportedVersion(in header, datagram.Length, responseBuffer, out responseLength);
            if (TryGetResetConnection(remote, datagram, out Connection? reset))
            {
                reset.OnStatelessReset(now);
                return EndpointReceiveResult.Routed(reset);
            }

            return Drop(EndpointDropReason.Malformed);
        }

        if (!ConnectionId.TryCreate(header.DestinationConnectionId, out ConnectionId destination)) return Drop(EndpointDropReason.Malformed);
        if (_routes.TryGetValue(destination, out Connection? connection) || _handshakeRoutes.TryGetValue(destination, out connection)
            || (_idLength == 0 && _addressRoutes.TryGetValue(remote, out connection)))
        {
            connection.HandleDatagram(now, datagram, remote, ecn);
            return EndpointReceiveResult.Routed(connection);
        }

        if (header.Type != PacketType.Initial) return Drop(EndpointDropReason.UnknownConnectionId);
        if (_server is null) return Drop(EndpointDropReason.NotAServer);
        return Accept(now, remote, datagram, ecn, in header, destination, responseBuffer, out responseLength);
    }

    /// <summary>RFC 9000 section 6.1: a Version Negotiation packet, for datagrams that could be a client's first.</summary>
    private EndpointReceiveResult AnswerUnsupportedVersion(scoped in PacketHeader header, int datagramLength, Span<byte> responseBuffer, out int responseLength)
    {
        responseLength = 0;
        if (_server is null || !_sendVersionNegotiation || datagramLength < Connection.MinimumMaxDatagramSize) return Drop(EndpointDropReason.UnsupportedVersion);
        int length = VersionNegotiationPacket.GetLength(header.SourceConnectionId.Length, header.DestinationConnectionId.Length, 2);
        if (responseBuffer.Length < length) return Drop(EndpointDropReason.UnsupportedVersion);
        Span<byte> random = stackalloc byte[5];
        _random(random);
        ReadOnlySpan<uint> versions = [QuicVersion.Version1, QuicVersion.MakeReserved(BitConverter.ToUInt32(random))];
        var writer = new SpanWriter(responseBuffer);
        VersionNegotiationPacket.Write(ref writer, header.SourceConnectionId, header.DestinationConnectionId, versions, (byte)(random[4] & 0x3f));
        responseLength = length;
        return EndpointReceiveResult.Answered(EndpointResponseKind.VersionNegotiation);
    }

    private EndpointReceiveResult Accept(
        Instant now, SocketAddress remote, Span<byte> datagram, EcnCodepoint ecn, scoped in PacketHeader header, ConnectionId destination,
        Span<byte> responseBuffer, out int responseLength)
    {
        responseLength = 0;
        if (datagram.Length < Connection.MinimumMaxDatagramSize) return Drop(EndpointDropReason.InitialTooSmall);
        if (destination.Length < MinimumInitialDestinationLength && header.Token.IsEmpty) return Drop(EndpointDropReason.InvalidInitial);
        if (_connections.Count >= _maxConnections) return Drop(EndpointDropReason.ConnectionLimit);

        ConnectionId original = destination;
        ConnectionId? retrySource = null;
        bool validated = false;
        if (_requireRetry)
        {
            if (header.Token.IsEmpty) return SendRetry(now, remote, in header, destination, responseBuffer, out responseLength);
            if (!_retryTokens.TryOpen(header.Token, remote, now, out original, out ConnectionId tokenRetrySource) || tokenRetrySource != destination)
            {
                // RFC 9000 section 8.1.3: the client will not accept another Retry; tell it the token is bad.
                responseLength = InitialClosePacket.Write(responseBuffer, header.DestinationConnectionId, header.SourceConnectionId, header.DestinationConnectionId, TransportErrorCode.INVALID_TOKEN);
                return responseLength > 0 ? EndpointReceiveResult.Answered(EndpointResponseKind.InvalidToken) : Drop(EndpointDropReason.InvalidInitial);
            }

            retrySource = destination;
            validated = true;
        }
        else if (destination.Length < MinimumInitialDestinationLength)
        {
            return Drop(EndpointDropReason.InvalidInitial);
        }

        if (_admit is { } admit && !admit(remote)) return Drop(EndpointDropReason.Refused);

        ConnectionId local = NewUniqueConnectionId();
        var setup = new ConnectionSetup(remote, local, new ConnectionId(header.SourceConnectionId), original, destination, retrySource, validated);
        var connection = new Connection(true, now, _server!, this, _random, in setup, _resetTokens.Generate(local));
        _routes[local] = connection;
        _handshakeRoutes[destination] = connection;
        _connections.Add(connection);
        connection.HandleDatagram(now, datagram, remote, ecn);
        if (!connection.HasReceivedFromPeer && connection.State != ConnectionState.Closed)
        {
            // Nothing in the datagram decrypted: no state for garbage.
            Forget(connection);
            connection.Dispose();
            return Drop(EndpointDropReason.InvalidInitial);
        }

        return EndpointReceiveResult.Accepted(connection);
    }

    private EndpointReceiveResult SendRetry(Instant now, SocketAddress remote, scoped in PacketHeader header, ConnectionId destination, Span<byte> responseBuffer, out int responseLength)
    {
        responseLength = 0;
        ConnectionId retrySource;
        do
        {
            retrySource = NewRandomConnectionId();
        }
        while (retrySource == destination);

        Span<byte> token = stackalloc byte[RetryTokenProtector.MaxLength];
        token = token[.._retryTokens.Seal(remote, destination, retrySource, now, token)];
        int withoutTag = RetryPacket.GetLengthWithoutTag(header.SourceConnectionId.Length, retrySource.Length, token.Length);
        if (responseBuffer.Length < withoutTag + RetryIntegrity.TagLength) return Drop(EndpointDropReason.InvalidInitial);
        Span<byte> unused = stackalloc byte[1];
        _random(unused);
        var writer = new SpanWriter(responseBuffer);
        RetryPacket.WriteWithoutTag(ref writer, QuicVersion.Version1, header.SourceConnectionId, retrySource.AsSpan(), token, (byte)(unused[0] & 0x0f));
        RetryIntegrity.ComputeTag(destination.AsSpan(), responseBuffer[..withoutTag], responseBuffer.Slice(withoutTag, RetryIntegrity.TagLength));
        responseLength = withoutTag + RetryIntegrity.TagLength;
        return EndpointReceiveResult.Answered(EndpointResponseKind.Retry);
    }

    /// <summary>
    /// The stateless reset token bucket: <see cref="EndpointOptions.MaxStatelessResetsPerSecond"/> per second, in bursts
    /// of as many. Budget is kept in resets × ticks, so refilling is exact integer arithmetic.
    /// </summary>
    private bool TryTakeResetToken(Instant now)
    {
        long capacity = _resetRate * TimeSpan.TicksPerSecond;
        if (!_resetBudgetTime.IsNever && now > _resetBudgetTime)
        {
            TimeSpan elapsed = now - _resetBudgetTime;
            _resetBudget = elapsed >= TimeSpan.FromSeconds(1) ? capacity : Math.Min(capacity, _resetBudget + (elapsed.Ticks * _resetRate));
        }

        if (_resetBudgetTime.IsNever || now > _resetBudgetTime) _resetBudgetTime = now;
        if (_resetBudget < TimeSpan.TicksPerSecond) return false;
        _resetBudget -= TimeSpan.TicksPerSecond;
        return true;
    }

    /// <summary>RFC 9000 section 10.3.1: the last 16 bytes match a token of a connection talking to <paramref name="remote"/>.</summary>
    private bool TryGetResetConnection(SocketAddress remote, ReadOnlySpan<byte> datagram, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Connection? connection)
    {
        connection = null;
        if (_peerResetTokens.Count == 0 || !StatelessReset.TryGetToken(datagram, out StatelessResetToken token)) return false;
        return _peerResetTokens.TryGetValue(token, out connection) && connection.RemoteAddress.Equals(remote);
    }

    private EndpointReceiveResult Drop(EndpointDropReason reason)
    {
        _drops[(int)reason]++;
        return EndpointReceiveResult.Dropped(reason);
    }

    private ConnectionId NewRandomConnectionId()
    {
        Span<byte> bytes = stackalloc byte[_idLength];
        _random(bytes);
        return new ConnectionId(bytes);
    }

    private ConnectionId NewUniqueConnectionId()
    {
        ConnectionId id;
        do
        {
            id = NewRandomConnectionId();
        }
        while (_routes.ContainsKey(id) || _handshakeRoutes.ContainsKey(id));

        return id;
    }

    private void RemoveRoutes(Connection connection)
    {
        for (int i = 0; i < connection.LocalIdCount; i++)
        {
            ConnectionId id = connection.GetLocalId(i);
            if (_routes.TryGetValue(id, out Connection? routed) && routed == connection) _routes.Remove(id);
        }

        RemoveHandshakeRoute(connection);
        if (_addressRoutes.TryGetValue(connection.RemoteAddress, out Connection? byAddress) && byAddress == connection) _addressRoutes.Remove(connection.RemoteAddress);
        if (connection.RegisteredResetToken is { } token && _peerResetTokens.TryGetValue(token, out Connection? owner) && owner == connection)
        {
            _peerResetTokens.Remove(token);
        }
    }

    private void RemoveHandshakeRoute(Connection connection)
    {
        ConnectionId handshake = connection.InitialDestinationId;
        if (_handshakeRoutes.TryGetValue(handshake, out Connection? routed) && routed == connection) _handshakeRoutes.Remove(handshake);
    }

    ConnectionId IConnectionHost.IssueConnectionId(Connection connection)
    {
        ConnectionId id = NewUniqueConnectionId();
        _routes[id] = connection;
        return id;
    }

    StatelessResetToken IConnectionHost.GetStatelessResetToken(ConnectionId connectionId) => _resetTokens.Generate(connectionId);

    void IConnectionHost.RetireConnectionId(Connection connection, ConnectionId connectionId)
    {
        if (_routes.TryGetValue(connectionId, out Connection? routed) && routed == connection) _routes.Remove(connectionId);
    }

    void IConnectionHost.OnPeerResetTokenChanged(Connection connection, StatelessResetToken? previous, StatelessResetToken? current)
    {
        if (previous is { } old && _peerResetTokens.TryGetValue(old, out Connection? owner) && owner == connection) _peerResetTokens.Remove(old);
        if (current is { } token) _peerResetTokens[token] = connection;
    }

    void IConnectionHost.OnDrained(Connection connection)
    {
        RemoveRoutes(connection);
        _connections.Remove(connection);
    }
}
