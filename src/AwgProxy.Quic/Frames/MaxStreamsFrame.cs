using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// MAX_STREAMS (RFC 9000 section 19.11): the cumulative number of streams of one direction the peer may open.
/// <code>
/// MAX_STREAMS Frame {
///   Type (i) = 0x12..0x13,
///   Maximum Streams (i),
/// }
/// </code>
/// Type 0x12 limits bidirectional streams, 0x13 unidirectional ones. A value above 2^60 is a
/// FRAME_ENCODING_ERROR: no stream ID above 2^62-1 can exist.
/// </summary>
public readonly record struct MaxStreamsFrame
{
    /// <summary>The largest stream count a MAX_STREAMS or STREAMS_BLOCKED frame may carry (2^60).</summary>
    public const ulong MaxCount = 1UL << 60;

    public MaxStreamsFrame(bool bidirectional, ulong maximumStreams)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maximumStreams, MaxCount);
        Bidirectional = bidirectional;
        MaximumStreams = maximumStreams;
    }

    public bool Bidirectional { get; }

    public ulong MaximumStreams { get; }

    public FrameType Type => Bidirectional ? FrameType.MaxStreamsBidi : FrameType.MaxStreamsUni;

    public int Length => 1 + VarInt.GetLength(MaximumStreams);

    /// <param name="type"><see cref="FrameType.MaxStreamsBidi"/> or <see cref="FrameType.MaxStreamsUni"/>.</param>
    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out MaxStreamsFrame frame)
    {
        SpanReader r = reader;
        if (!r.TryReadVarInt(out ulong maximumStreams) || maximumStreams > MaxCount)
        {
            frame = default;
            return false;
        }

        frame = new MaxStreamsFrame(type == FrameType.MaxStreamsBidi, maximumStreams);
        reader = r;
        return true;
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteByte((byte)Type);
        writer.WriteVarInt(MaximumStreams);
    }
}
