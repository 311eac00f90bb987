using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// NEW_CONNECTION_ID (RFC 9000 section 19.15): gives the peer an alternative connection ID.
/// <code>
/// NEW_CONNECTION_ID Frame {
///   Type (i) = 0x18,
///   Sequence Number (i),
///   Retire Prior To (i),
///   Length (8),
///   Connection ID (8..160),
///   Stateless Reset Token (128),
/// }
/// </code>
/// A Length outside 1..20 or a Retire Prior To above the Sequence Number is a FRAME_ENCODING_ERROR.
/// The connection ID and token are held inline, so this is a plain struct.
/// </summary>
public readonly record struct NewConnectionIdFrame
{
    public NewConnectionIdFrame(ulong sequenceNumber, ulong retirePriorTo, ConnectionId connectionId, StatelessResetToken statelessResetToken)
    {
        if (connectionId.IsEmpty) throw new ArgumentException("NEW_CONNECTION_ID cannot carry a zero-length connection ID.", nameof(connectionId));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(retirePriorTo, sequenceNumber);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequenceNumber, VarInt.MaxValue);
        SequenceNumber = sequenceNumber;
        RetirePriorTo = retirePriorTo;
        ConnectionId = connectionId;
        StatelessResetToken = statelessResetToken;
    }

    public ulong SequenceNumber { get; }

    public ulong RetirePriorTo { get; }

    public ConnectionId ConnectionId { get; }

    public StatelessResetToken StatelessResetToken { get; }

    public int Length =>
        1 + VarInt.GetLength(SequenceNumber) + VarInt.GetLength(RetirePriorTo) + 1 + ConnectionId.Length + Packets.StatelessResetToken.Length;

    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out NewConnectionIdFrame frame)
    {
        _ = type;
        SpanReader r = reader;
        if (!r.TryReadVarInt(out ulong sequenceNumber)
            || !r.TryReadVarInt(out ulong retirePriorTo)
            || retirePriorTo > sequenceNumber
            || !r.TryReadByte(out byte length)
            || length is < 1 or > Packets.ConnectionId.MaxLength
            || !r.TryReadBytes(length, out ReadOnlySpan<byte> connectionId)
            || !r.TryReadBytes(Packets.StatelessResetToken.Length, out ReadOnlySpan<byte> token))
        {
            frame = default;
            return false;
        }

        frame = new NewConnectionIdFrame(sequenceNumber, retirePriorTo, new ConnectionId(connectionId), new StatelessResetToken(token));
        reader = r;
        return true;
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteByte((byte)FrameType.NewConnectionId);
        writer.WriteVarInt(SequenceNumber);
        writer.WriteVarInt(RetirePriorTo);
        ConnectionId connectionId = ConnectionId;
        writer.WriteByte((byte)connectionId.Length);
        connectionId.CopyTo(writer.Reserve(connectionId.Length));
        StatelessResetToken.CopyTo(writer.Reserve(Packets.StatelessResetToken.Length));
    }
}
