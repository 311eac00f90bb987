using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// STREAM_DATA_BLOCKED (RFC 9000 section 19.13): the sender is blocked by one stream's flow control.
/// <code>
/// STREAM_DATA_BLOCKED Frame {
///   Type (i) = 0x15,
///   Stream ID (i),
///   Maximum Stream Data (i),
/// }
/// </code>
/// </summary>
public readonly record struct StreamDataBlockedFrame(ulong StreamId, ulong MaximumStreamData)
{
    public int Length => 1 + VarInt.GetLength(StreamId) + VarInt.GetLength(MaximumStreamData);

    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out StreamDataBlockedFrame frame)
    {
        _ = type;
        SpanReader r = reader;
        if (!r.TryReadVarInt(out ulong streamId) || !r.TryReadVarInt(out ulong maximumStreamData))
        {
            frame = default;
            return false;
        }

        frame = new StreamDataBlockedFrame(streamId, maximumStreamData);
        reader = r;
        return true;
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteByte((byte)FrameType.StreamDataBlocked);
        writer.WriteVarInt(StreamId);
        writer.WriteVarInt(MaximumStreamData);
    }
}
