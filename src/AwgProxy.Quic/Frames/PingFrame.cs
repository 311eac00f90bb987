using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// PING (RFC 9000 section 19.2): no content; it only elicits an acknowledgment.
/// <code>
/// PING Frame {
///   Type (i) = 0x01,
/// }
/// </code>
/// </summary>
public readonly struct PingFrame
{
    public int Length => 1;

    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out PingFrame frame)
    {
        _ = reader;
        _ = type;
        frame = default;
        return true;
    }

    public void Write(ref SpanWriter writer) => writer.WriteByte((byte)FrameType.Ping);
}
