using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// Reads the frames of one decrypted packet payload (RFC 9000 section 12.4), without allocating:
/// <code>
/// var reader = new FrameReader(payload, PacketType.OneRtt, receiverIsServer: true);
/// while (reader.TryReadNext(out Frame frame))
/// {
///     switch (frame.Type) { case FrameType.Ack: case FrameType.AckEcn: ... frame.Ack ...; break; ... }
/// }
/// if (reader.Error is { } error) { /* close with error.Code, error.FrameType, error.Reason */ }
/// </code>
/// It is the single gate for frame legality: unknown frame types and malformed frames are
/// FRAME_ENCODING_ERROR; a frame type encoded in more bytes than needed, a frame not allowed in the packet
/// type (<see cref="FrameRules"/>), a server-only frame received by a server, or a payload with no frames
/// is PROTOCOL_VIOLATION. After an error it reads nothing more. PADDING is skipped, not returned.
/// </summary>
public ref struct FrameReader
{
    private SpanReader _reader;
    private readonly PacketType _packetType;
    private readonly bool _receiverIsServer;
    private FrameError? _error;
    private bool _sawFrame;
    private bool _ackEliciting;
    private bool _sawNonProbing;

    /// <param name="payload">The decrypted payload: everything after the packet number.</param>
    /// <param name="packetType">The type of the packet, which decides the frames allowed (Initial, 0-RTT, Handshake or 1-RTT).</param>
    /// <param name="receiverIsServer">True on a server, which must reject NEW_TOKEN and HANDSHAKE_DONE.</param>
    public FrameReader(ReadOnlySpan<byte> payload, PacketType packetType, bool receiverIsServer)
    {
        if (!packetType.HasPacketNumber())
        {
            throw new ArgumentOutOfRangeException(nameof(packetType), packetType, "Retry and Version Negotiation packets carry no frames.");
        }

        _reader = new SpanReader(payload);
        _packetType = packetType;
        _receiverIsServer = receiverIsServer;
    }

    /// <summary>Set once a frame was rejected; the connection closes with it.</summary>
    public readonly FrameError? Error => _error;

    /// <summary>True once an ack-eliciting frame has been read (RFC 9002 section 2).</summary>
    public readonly bool IsAckEliciting => _ackEliciting;

    /// <summary>
    /// After the whole payload is read: true if it held only probing frames (PATH_CHALLENGE,
    /// PATH_RESPONSE, NEW_CONNECTION_ID, PADDING), i.e. it is a probing packet (RFC 9000 section 9.1).
    /// </summary>
    public readonly bool IsProbingOnly => _sawFrame && !_sawNonProbing;

    /// <summary>Bytes of the payload consumed so far.</summary>
    public readonly int Position => _reader.Position;

    /// <summary>
    /// Reads the next frame other than PADDING. False at the end of the payload or on an error (then
    /// <see cref="Error"/> is set).
    /// </summary>
    public bool TryReadNext(out Frame frame)
    {
        frame = default;
        if (_error is not null) return false;
        while (true)
        {
            if (_reader.IsEmpty)
            {
                if (!_sawFrame) Fail(TransportErrorCode.PROTOCOL_VIOLATION, 0, "Packet contains no frames");
                return false;
            }

            int start = _reader.Position;
            if (!_reader.TryReadVarInt(out ulong rawType))
            {
                return Fail(TransportErrorCode.FRAME_ENCODING_ERROR, 0, "Truncated frame type");
            }

            if (_reader.Position - start != VarInt.GetLength(rawType))
            {
                return Fail(TransportErrorCode.PROTOCOL_VIOLATION, rawType, "Frame type not minimally encoded");
            }

            if (!FrameRules.IsKnown(rawType))
            {
                return Fail(TransportErrorCode.FRAME_ENCODING_ERROR, rawType, "Unknown frame type");
            }

            var type = (FrameType)rawType;
            if (!FrameRules.IsAllowedIn(type, _packetType))
            {
                return Fail(TransportErrorCode.PROTOCOL_VIOLATION, rawType, "Frame type not allowed in this packet type");
            }

            if (_receiverIsServer && FrameRules.IsSentOnlyByServer(type))
            {
                return Fail(TransportErrorCode.PROTOCOL_VIOLATION, rawType, "Frame type only sent by servers");
            }

            _sawFrame = true;
            if (type == FrameType.Padding)
            {
                PaddingFrame.TryParse(ref _reader, type, out _);
                continue;
            }

            _ackEliciting |= FrameRules.IsAckEliciting(type);
            _sawNonProbing |= !FrameRules.IsProbing(type);
            if (!TryParseBody(type, out frame))
            {
                frame = default;
                return Fail(TransportErrorCode.FRAME_ENCODING_ERROR, rawType, MalformedReason(type));
            }

            return true;
        }
    }

    private bool TryParseBody(FrameType type, out Frame frame)
    {
        // Every known type is below 0x40 and was checked to be minimally encoded: its type took one byte.
        int start = _reader.Position - 1;
        bool ok;
        frame = new Frame(type);
        switch (type)
        {
            case FrameType.Ping:
            case FrameType.HandshakeDone:
                ok = true;
                break;
            case FrameType.Ack:
            case FrameType.AckEcn:
                ok = AckFrame.TryParse(ref _reader, type, out frame.AckValue);
                break;
            case FrameType.ResetStream:
                ok = ResetStreamFrame.TryParse(ref _reader, type, out frame.ResetStreamValue);
                break;
            case FrameType.StopSending:
                ok = StopSendingFrame.TryParse(ref _reader, type, out frame.StopSendingValue);
                break;
            case FrameType.Crypto:
                ok = CryptoFrame.TryParse(ref _reader, type, out frame.CryptoValue);
                break;
            case FrameType.NewToken:
                ok = NewTokenFrame.TryParse(ref _reader, type, out frame.NewTokenValue);
                break;
            case FrameType.MaxData:
                ok = MaxDataFrame.TryParse(ref _reader, type, out frame.MaxDataValue);
                break;
            case FrameType.MaxStreamData:
                ok = MaxStreamDataFrame.TryParse(ref _reader, type, out frame.MaxStreamDataValue);
                break;
            case FrameType.MaxStreamsBidi:
            case FrameType.MaxStreamsUni:
                ok = MaxStreamsFrame.TryParse(ref _reader, type, out frame.MaxStreamsValue);
                break;
            case FrameType.DataBlocked:
                ok = DataBlockedFrame.TryParse(ref _reader, type, out frame.DataBlockedValue);
                break;
            case FrameType.StreamDataBlocked:
                ok = StreamDataBlockedFrame.TryParse(ref _reader, type, out frame.StreamDataBlockedValue);
                break;
            case FrameType.StreamsBlockedBidi:
            case FrameType.StreamsBlockedUni:
                ok = StreamsBlockedFrame.TryParse(ref _reader, type, out frame.StreamsBlockedValue);
                break;
            case FrameType.NewConnectionId:
                ok = NewConnectionIdFrame.TryParse(ref _reader, type, out frame.NewConnectionIdValue);
                break;
            case FrameType.RetireConnectionId:
                ok = RetireConnectionIdFrame.TryParse(ref _reader, type, out frame.RetireConnectionIdValue);
                break;
            case FrameType.PathChallenge:
                ok = PathChallengeFrame.TryParse(ref _reader, type, out frame.PathChallengeValue);
                break;
            case FrameType.PathResponse:
                ok = PathResponseFrame.TryParse(ref _reader, type, out frame.PathResponseValue);
                break;
            case FrameType.ConnectionClose:
            case FrameType.ConnectionCloseApplication:
                ok = ConnectionCloseFrame.TryParse(ref _reader, type, out frame.ConnectionCloseValue);
                break;
            case FrameType.Datagram:
            case FrameType.DatagramWithLength:
                ok = DatagramFrame.TryParse(ref _reader, type, out frame.DatagramValue);
                break;
            default:
                // Every remaining known type is STREAM (0x08-0x0f).
                ok = StreamFrame.TryParse(ref _reader, type, out frame.StreamValue);
                break;
        }

        if (!ok)
        {
            frame = default;
            return false;
        }

        frame.Encoding = _reader.Buffer[start.._reader.Position];
        return true;
    }

    private bool Fail(TransportErrorCode code, ulong frameType, string reason)
    {
        _error = new FrameError(code, frameType, reason);
        return false;
    }

    private static string MalformedReason(FrameType type) => type switch
    {
        FrameType.Ack or FrameType.AckEcn => "Malformed ACK frame",
        FrameType.ResetStream => "Malformed RESET_STREAM frame",
        FrameType.StopSending => "Malformed STOP_SENDING frame",
        FrameType.Crypto => "Malformed CRYPTO frame",
        FrameType.NewToken => "Malformed NEW_TOKEN frame",
        FrameType.MaxData => "Malformed MAX_DATA frame",
        FrameType.MaxStreamData => "Malformed MAX_STREAM_DATA frame",
        FrameType.MaxStreamsBidi or FrameType.MaxStreamsUni => "Malformed MAX_STREAMS frame",
        FrameType.DataBlocked => "Malformed DATA_BLOCKED frame",
        FrameType.StreamDataBlocked => "Malformed STREAM_DATA_BLOCKED frame",
        FrameType.StreamsBlockedBidi or FrameType.StreamsBlockedUni => "Malformed STREAMS_BLOCKED frame",
        FrameType.NewConnectionId => "Malformed NEW_CONNECTION_ID frame",
        FrameType.RetireConnectionId => "Malformed RETIRE_CONNECTION_ID frame",
        FrameType.PathChallenge => "Malformed PATH_CHALLENGE frame",
        FrameType.PathResponse => "Malformed PATH_RESPONSE frame",
        FrameType.ConnectionClose or FrameType.ConnectionCloseApplication => "Malformed CONNECTION_CLOSE frame",
        FrameType.Datagram or FrameType.DatagramWithLength => "Malformed DATAGRAM frame",
        _ => "Malformed STREAM frame",
    };
}
