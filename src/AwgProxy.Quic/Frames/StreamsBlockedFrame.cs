using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// STREAMS_BLOCKED (RFC 9000 section 19.14): the sender wants to open a stream but the peer's limit stops it.
/// <code>
/// STREAMS_BLOCKED Frame {
///   Type (i) = 0x16..0x17,
///   Maximum Streams (i),
/// }
/// </code>
/// Type 0x16 is about bidirectional streams, 0x17 about unidirectional ones. A value above 2^60 is a
/// FRAME_ENCODING_ERROR.
/// </summary>
public readonly record struct StreamsBlockedFrame
{
    public StreamsBlockedFrame(bool bidirectional, ulong maximumStreams)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maximumStreams, MaxStreamsFrame.MaxCount);
        Bidirectional = bidirectional;
        MaximumStreams = maximumStreams;
    }

    public bool Bidirectional { get; }

    public ulong MaximumStreams { get; }

    public FrameType Type => Bidirectional ? FrameType.StreamsBlockedBidi : FrameType.StreamsBlockedUni;

    public int Length => 1 + VarInt.GetLength(MaximumStreams);

    /// <param name="type"><see cref="FrameType.StreamsBlockedBidi"/> or <see cref="FrameType.StreamsBlockedUni"/>.</param>
    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out StreamsBlockedFrame frame)
    {
        SpanReader r = reader;
        if (!r.TryReadVarInt(out ulong maximumStreams) || maximumStreams > MaxStreamsFrame.MaxCount)
        {
            frame = default;
            return false;
        }

        frame = new StreamsBlockedFrame(type == FrameType.StreamsBlockedBidi, maximumStreams);
        reader = r;
        return true;
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteByte((byte)Type);
        writer.WriteVarInt(MaximumStreams);
    }
}
