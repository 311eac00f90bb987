using System.Net.Security;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Quic.Tls.Messages;

namespace AwgProxy.Quic.Tls;

/// <summary>
/// A sans-IO TLS 1.3 handshake for QUIC (RFC 8446 as profiled by RFC 9001): fed the peer's CRYPTO
/// stream bytes per encryption level, polled for events in order. No record layer, no
/// ChangeCipherSpec, no EndOfEarlyData, no KeyUpdate, no resumption, no 0-RTT: the server sends no
/// NewSessionTicket and a client ignores the tickets it receives.
/// <para>
/// Use: create with <see cref="CreateClient"/> / <see cref="CreateServer"/>, call <see cref="Start"/>
/// (the client queues its ClientHello), then after every <see cref="Start"/> and
/// <see cref="ProvideHandshakeData"/> drain <see cref="TryPollEvent"/> until it returns false. Events
/// come in the order of RFC 9001 section 4.1.4 (see <see cref="TlsClientSession"/> and
/// <see cref="TlsServerSession"/> for the exact sequence). No method throws on any input; after a
/// failure <see cref="Error"/>, <see cref="Alert"/> and <see cref="FailureReason"/> say why, pending
/// events are dropped, and the connection is to be closed with <see cref="Error"/>.
/// </para>
/// Not thread-safe: one connection drives it.
/// </summary>
public abstract class TlsSession : IDisposable
{
    private readonly Queue<TlsEvent> _events = new();
    private readonly int _maxMessageSize;
    private byte[] _pending = [];
    private int _pendingLength;
    private bool _disposed;

    private protected TlsSession(TlsSessionOptions options, byte[]? transportParametersOverride, RandomFill? fallbackRandom)
    {
        (byte[][] alpn, byte[] transportParameters, CipherSuite[] suites, NamedGroup[] groups, RandomFill random) =
            options.ValidateCommon(transportParametersOverride, fallbackRandom);
        ApplicationProtocolList = alpn;
        LocalTransportParameters = transportParameters;
        CipherSuiteList = suites;
        GroupList = groups;
        Random = random;
        _maxMessageSize = options.MaxHandshakeMessageSize;
    }

    /// <summary>A client session; throws <see cref="ArgumentException"/> for invalid options.</summary>
    public static TlsClientSession CreateClient(TlsClientOptions options) => new(options);

    /// <summary>A server session; throws <see cref="ArgumentException"/> for invalid options.</summary>
    public static TlsServerSession CreateServer(TlsServerOptions options) => new(options);

    /// <summary>
    /// A client session for a QUIC connection, which supplies its own transport parameters (the options'
    /// <see cref="TlsSessionOptions.TransportParameters"/> is ignored) and its randomness when the options have none.
    /// </summary>
    internal static TlsClientSession CreateClient(TlsClientOptions options, byte[] transportParameters, RandomFill? fallbackRandom)
        => new(options, transportParameters, fallbackRandom);

    /// <summary>A server session for a QUIC connection; see the client overload.</summary>
    internal static TlsServerSession CreateServer(TlsServerOptions options, byte[] transportParameters, RandomFill? fallbackRandom)
        => new(options, transportParameters, fallbackRandom);

    public abstract bool IsServer { get; }

    /// <summary>The handshake finished successfully (the HandshakeComplete event was queued).</summary>
    public bool IsHandshakeComplete { get; private protected set; }

    /// <summary>The session failed; see <see cref="Error"/>.</summary>
    public bool IsFailed => Error is not null;

    /// <summary>
    /// The QUIC error to close the connection with: CRYPTO_ERROR + alert for TLS failures, or
    /// CRYPTO_BUFFER_EXCEEDED / PROTOCOL_VIOLATION for the QUIC-level rules this layer enforces.
    /// </summary>
    public TransportErrorCode? Error { get; private set; }

    /// <summary>The TLS alert of a TLS failure (RFC 8446 section 6.2); null when the failure is not a TLS alert.</summary>
    public AlertDescription? Alert { get; private set; }

    /// <summary>Human-readable cause of the failure (for logs; never sent to the peer).</summary>
    public string? FailureReason { get; private set; }

    /// <summary>The negotiated cipher suite, once ServerHello is sent or received.</summary>
    public CipherSuite? CipherSuite { get; private protected set; }

    /// <summary>The group of the (EC)DHE exchange, once ServerHello is sent or received.</summary>
    public NamedGroup? KeyExchangeGroup { get; private protected set; }

    /// <summary>The negotiated ALPN protocol.</summary>
    public SslApplicationProtocol? ApplicationProtocol { get; private protected set; }

    /// <summary>Whether a HelloRetryRequest was sent (server) or received (client).</summary>
    public bool HelloRetryRequested { get; private protected set; }

    /// <summary>The certificate the peer presented (client: the server's; server: the client's, if any).</summary>
    public TlsPeerCertificate? PeerCertificate { get; private protected set; }

    /// <summary>The peer's quic_transport_parameters body, once received.</summary>
    public byte[]? PeerTransportParameters { get; private protected set; }

    /// <summary>The encryption level at which the next peer handshake bytes must arrive.</summary>
    public EncryptionLevel ReadLevel { get; private protected set; } = EncryptionLevel.Initial;

    private protected byte[][] ApplicationProtocolList { get; }

    private protected byte[] LocalTransportParameters { get; }

    private protected CipherSuite[] CipherSuiteList { get; }

    private protected NamedGroup[] GroupList { get; }

    private protected RandomFill Random { get; }

    private protected Transcript Transcript { get; } = new();

    private protected KeySchedule? KeySchedule { get; set; }

    private protected bool Started { get; private set; }

    /// <summary>Starts the handshake: a client queues its ClientHello (WriteData at Initial). A server needs no start but accepts one.</summary>
    public void Start()
    {
        if (Started || IsFailed) return;
        Started = true;
        try
        {
            OnStart();
        }
        catch (Exception e)
        {
            Fail(AlertDescription.InternalError, $"internal error: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// Delivers in-order CRYPTO stream bytes received at <paramref name="level"/>. A message may be split
    /// over several calls and one call may carry several messages; each message must arrive at the level
    /// the handshake is reading (<see cref="ReadLevel"/>) and none may continue past a key change.
    /// Returns false once the session has failed.
    /// </summary>
    public bool ProvideHandshakeData(EncryptionLevel level, ReadOnlySpan<byte> data)
    {
        if (IsFailed) return false;
        try
        {
            if (level == EncryptionLevel.ZeroRtt)
            {
                return FailTransport(TransportErrorCode.PROTOCOL_VIOLATION, "CRYPTO data in a 0-RTT packet (RFC 9001 section 8.3)");
            }

            if (!Started)
            {
                if (!IsServer) return Fail(AlertDescription.UnexpectedMessage, "handshake data before Start");
                Start();
                if (IsFailed) return false;
            }

            if (level != ReadLevel) return Fail(AlertDescription.UnexpectedMessage, $"handshake data at {level} while reading at {ReadLevel}");
            return Consume(data);
        }
        catch (Exception e)
        {
            // Last resort: no input may make an exception escape. Bugs surface as internal_error.
            return Fail(AlertDescription.InternalError, $"internal error: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Takes the next event, in the order they happened. Returns false when none is pending.</summary>
    public bool TryPollEvent(out TlsEvent tlsEvent) => _events.TryDequeue(out tlsEvent);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Transcript.Dispose();
        KeySchedule?.Dispose();
        OnDispose();
        GC.SuppressFinalize(this);
    }

    private protected abstract void OnStart();

    /// <summary>Handles one complete message (header included). Returns false after calling <see cref="Fail"/>.</summary>
    private protected abstract bool HandleMessage(HandshakeType type, ReadOnlySpan<byte> message, ReadOnlySpan<byte> body);

    private protected virtual void OnDispose()
    {
    }

    private protected void Emit(TlsEvent tlsEvent) => _events.Enqueue(tlsEvent);

    /// <summary>Encodes <paramref name="message"/>, adds it to the transcript and to <paramref name="flight"/>.</summary>
    private protected byte[] Send(IHandshakeMessage message, List<byte[]> flight)
    {
        byte[] encoded = HandshakeMessage.Encode(message);
        Transcript.Add(encoded);
        flight.Add(encoded);
        return encoded;
    }

    /// <summary>Queues one WriteData event with the concatenated <paramref name="flight"/>.</summary>
    private protected void EmitWrite(EncryptionLevel level, List<byte[]> flight)
    {
        byte[] data = new byte[flight.Sum(m => m.Length)];
        int offset = 0;
        foreach (byte[] message in flight)
        {
            message.CopyTo(data, offset);
            offset += message.Length;
        }

        flight.Clear();
        Emit(TlsEvent.WriteData(level, data));
    }

    /// <summary>Records a TLS failure (alert) and drops pending events. Always returns false.</summary>
    private protected bool Fail(AlertDescription alert, string reason)
    {
        if (IsFailed) return false;
        Alert = alert;
        Error = TransportErrorCodeExtensions.FromTlsAlert((byte)alert);
        FailureReason = reason;
        _events.Clear();
        return false;
    }

    /// <summary>Records a QUIC-level failure that is not a TLS alert. Always returns false.</summary>
    private protected bool FailTransport(TransportErrorCode error, string reason)
    {
        if (IsFailed) return false;
        Error = error;
        FailureReason = reason;
        _events.Clear();
        return false;
    }

    /// <summary>Splits the stream into messages; keeps an incomplete tail for the next call.</summary>
    private bool Consume(ReadOnlySpan<byte> data)
    {
        EncryptionLevel level = ReadLevel;
        ReadOnlySpan<byte> rest = data;
        while (true)
        {
            if (_pendingLength > 0)
            {
                // Complete the buffered message from the new bytes first.
                if (_pendingLength < HandshakeMessage.HeaderLength)
                {
                    rest = Buffer(rest, HandshakeMessage.HeaderLength - _pendingLength);
                    if (_pendingLength < HandshakeMessage.HeaderLength) return true;
                }

                HandshakeMessage.TryReadHeader(_pending.AsSpan(0, _pendingLength), out HandshakeType type, out int bodyLength);
                if (!CheckMessageSize(bodyLength)) return false;
                int total = HandshakeMessage.HeaderLength + bodyLength;
                rest = Buffer(rest, total - _pendingLength);
                if (_pendingLength < total) return true;

                _pendingLength = 0;
                if (!Dispatch(type, _pending.AsSpan(0, total), level, !rest.IsEmpty)) return false;
            }
            else
            {
                if (rest.IsEmpty) return true;
                if (!HandshakeMessage.TryReadHeader(rest, out HandshakeType type, out int bodyLength) || rest.Length < HandshakeMessage.HeaderLength + bodyLength)
                {
                    if (rest.Length >= HandshakeMessage.HeaderLength && !CheckMessageSize(bodyLength)) return false;
                    Buffer(rest, rest.Length);
                    return true;
                }

                if (!CheckMessageSize(bodyLength)) return false;
                int total = HandshakeMessage.HeaderLength + bodyLength;
                ReadOnlySpan<byte> message = rest[..total];
                rest = rest[total..];
                if (!Dispatch(type, message, level, !rest.IsEmpty)) return false;
            }

            if (ReadLevel != level) return true;
        }
    }

    private bool Dispatch(HandshakeType type, ReadOnlySpan<byte> message, EncryptionLevel level, bool moreBytesFollow)
    {
        if (!HandleMessage(type, message, message[HandshakeMessage.HeaderLength..])) return false;

        // RFC 8446 section 5.1 / RFC 9001 section 4.1.3: handshake messages must not span a key change.
        if (ReadLevel != level && moreBytesFollow)
        {
            return Fail(AlertDescription.UnexpectedMessage, $"data after {type} continues past the key change from {level}");
        }

        return true;
    }

    private bool CheckMessageSize(int bodyLength)
    {
        if (bodyLength <= _maxMessageSize) return true;
        return FailTransport(TransportErrorCode.CRYPTO_BUFFER_EXCEEDED, $"handshake message of {bodyLength} bytes exceeds the {_maxMessageSize}-byte limit");
    }

    /// <summary>Appends up to <paramref name="count"/> bytes of <paramref name="data"/> to the pending buffer; returns the rest.</summary>
    private ReadOnlySpan<byte> Buffer(ReadOnlySpan<byte> data, int count)
    {
        int take = Math.Min(count, data.Length);
        if (_pending.Length < _pendingLength + take)
        {
            Array.Resize(ref _pending, Math.Max(_pendingLength + take, Math.Min(2 * _pending.Length + 64, HandshakeMessage.HeaderLength + _maxMessageSize)));
        }

        data[..take].CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += take;
        return data[take..];
    }
}
