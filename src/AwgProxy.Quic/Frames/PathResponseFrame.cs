using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// PATH_RESPONSE (RFC 9000 section 19.18): echoes the data of a PATH_CHALLENGE.
/// <code>
/// PATH_RESPONSE Frame {
///   Type (i) = 0x1b,
///   Data (64),
/// }
/// </code>
/// The 8 bytes of Data are held as a big-endian <see cref="ulong"/>, so no buffer is needed.
/// </summary>
public readonly record struct PathResponseFrame(ulong Data)
{
    public int Length => 1 + sizeof(ulong);

    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out PathResponseFrame frame)
    {
        _ = type;
        if (!reader.TryReadUInt64(out ulong data))
        {
            frame = default;
            return false;
        }

        frame = new PathResponseFrame(data);
        return true;
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteByte((byte)FrameType.PathResponse);
        writer.WriteUInt64(Data);
    }
}
