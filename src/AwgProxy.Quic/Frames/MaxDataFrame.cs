using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// MAX_DATA (RFC 9000 section 19.9): the connection-level flow control limit.
/// <code>
/// MAX_DATA Frame {
///   Type (i) = 0x10,
///   Maximum Data (i),
/// }
/// </code>
/// </summary>
public readonly record struct MaxDataFrame(ulong MaximumData)
{
    public int Length => 1 + VarInt.GetLength(MaximumData);

    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out MaxDataFrame frame)
    {
        _ = type;
        if (!reader.TryReadVarInt(out ulong maximumData))
        {
            frame = default;
            return false;
        }

        frame = new MaxDataFrame(maximumData);
        return true;
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteByte((byte)FrameType.MaxData);
        writer.WriteVarInt(MaximumData);
    }
}
