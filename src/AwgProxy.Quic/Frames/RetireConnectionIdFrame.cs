using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// RETIRE_CONNECTION_ID (RFC 9000 section 19.16): the sender will no longer use the connection ID the
/// peer issued with this sequence number.
/// <code>
/// RETIRE_CONNECTION_ID Frame {
///   Type (i) = 0x19,
///   Sequence Number (i),
/// }
/// </code>
/// </summary>
public readonly record struct RetireConnectionIdFrame(ulong SequenceNumber)
{
    public int Length => 1 + VarInt.GetLength(SequenceNumber);

    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out RetireConnectionIdFrame frame)
    {
        _ = type;
        if (!reader.TryReadVarInt(out ulong sequenceNumber))
        {
            frame = default;
            return false;
        }

        frame = new RetireConnectionIdFrame(sequenceNumber);
        return true;
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteByte((byte)FrameType.RetireConnectionId);
        writer.WriteVarInt(SequenceNumber);
    }
}
