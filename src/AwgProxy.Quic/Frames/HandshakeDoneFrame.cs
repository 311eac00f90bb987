using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// HANDSHAKE_DONE (RFC 9000 section 19.20): the server confirms the handshake. No content; only a
/// server sends it.
/// <code>
/// HANDSHAKE_DONE Frame {
///   Type (i) = 0x1e,
/// }
/// </code>
/// </summary>
public readonly struct HandshakeDoneFrame
{
    public int Length => 1;

    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out HandshakeDoneFrame frame)
    {
        _ = reader;
        _ = type;
        frame = default;
        return true;
    }

    public void Write(ref SpanWriter writer) => writer.WriteByte((byte)FrameType.HandshakeDone);
}
