using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// A run of PADDING frames (RFC 9000 section 19.1): each is a single zero byte with no content.
/// <code>
/// PADDING Frame {
///   Type (i) = 0x00,
/// }
/// </code>
/// One value stands for <see cref="Count"/> consecutive PADDING frames, e.g. to pad an Initial to 1200 bytes.
/// </summary>
public readonly struct PaddingFrame
{
    public PaddingFrame(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
    }

    /// <summary>How many PADDING frames (bytes) this run holds.</summary>
    public int Count { get; }

    public int Length => Count;

    /// <summary>Consumes a run of zero bytes, the first of which is the type already read by the caller.</summary>
    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out PaddingFrame frame)
    {
        _ = type;
        ReadOnlySpan<byte> rest = reader.RemainingSpan;
        int run = rest.IndexOfAnyExcept((byte)0);
        if (run < 0) run = rest.Length;
        reader.TrySkip(run);
        frame = new PaddingFrame(run + 1);
        return true;
    }

    public void Write(ref SpanWriter writer) => writer.Fill(0, Count);
}
