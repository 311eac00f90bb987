using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// PATH_CHALLENGE (RFC 9000 section 19.17): checks reachability of the peer on a path; the peer echoes the data in PATH_RESPONSE.
/// <code>
/// PATH_CHALLENGE Frame {
///   Type (i) = 0x1a,
///   Data (64),
/// }
/// </code>
/// The 8 bytes of Data are held as a big-endian <see cref="ulong"/>, so no buffer is needed.
/// </summary>
public readonly record struct PathChallengeFrame(ulong Data)
{
    public int Length => 1 + sizeof(ulong);

    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out PathChallengeFrame frame)
    {
        _ = type;
        if (!reader.TryReadUInt64(out ulong data))
        {
            frame = default;
            return false;
        }

        frame = new PathChallengeFrame(data);
        return true;
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteByte((byte)FrameType.PathChallenge);
        writer.WriteUInt64(Data);
    }
}
