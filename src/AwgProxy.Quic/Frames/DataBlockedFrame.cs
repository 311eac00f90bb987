using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// DATA_BLOCKED (RFC 9000 section 19.12): the sender has data to send but is blocked by connection-level
/// flow control.
/// <code>
/// DATA_BLOCKED Frame {
///   Type (i) = 0x14,
///   Maximum Data (i),
/// }
/// </code>
/// </summary>
public readonly record struct DataBlockedFrame(ulong MaximumData)
{
    public int Length => 1 + VarInt.GetLength(MaximumData);

    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out DataBlockedFrame frame)
    {
        _ = type;
        if (!reader.TryReadVarInt(out ulong maximumData))
        {
            frame = default;
            return false;
        }

        frame = new DataBlockedFrame(maximumData);
        return true;
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteByte((byte)FrameType.DataBlocked);
        writer.WriteVarInt(MaximumData);
    }
}
