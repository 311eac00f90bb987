using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// MAX_STREAM_DATA (RFC 9000 section 19.10): the flow control limit of one stream.
/// <code>
/// MAX_STREAM_DATA Frame {
///   Type (i) = 0x11,
///   Stream ID (i),
///   Maximum Stream Data (i),
/// }
/// </code>
/// </summary>
public readonly record struct MaxStreamDataFrame(ulong StreamId, ulong MaximumStreamData)
{
    public int Length => 1 + VarInt.GetLength(StreamId) + VarInt.GetLength(MaximumStreamData);

    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out MaxStreamDataFrame frame)
    {
        _ = type;
        SpanReader r = reader;
        if (!r.TryReadVarInt(out ulong streamId) || !r.TryReadVarInt(out ulong maximumStreamData))
        {
            frame = default;
            return false;
        }

        frame = new MaxStreamDataFrame(streamId, maximumStreamData);
        reader = r;
        return true;
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteByte((byte)FrameType.MaxStreamData);
        writer.WriteVarInt(StreamId);
        writer.WriteVarInt(MaximumStreamData);
    }
}
