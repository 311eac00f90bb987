using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// NEW_TOKEN (RFC 9000 section 19.7): a server gives the client a token for a future Initial packet.
/// <code>
/// NEW_TOKEN Frame {
///   Type (i) = 0x07,
///   Token Length (i),
///   Token (..),
/// }
/// </code>
/// An empty token is a FRAME_ENCODING_ERROR. <see cref="Token"/> points into the packet.
/// </summary>
public readonly ref struct NewTokenFrame
{
    public NewTokenFrame(ReadOnlySpan<byte> token)
    {
        if (token.IsEmpty) throw new ArgumentException("A NEW_TOKEN token cannot be empty.", nameof(token));
        Token = token;
    }

    public ReadOnlySpan<byte> Token { get; }

    public int Length => 1 + VarInt.GetLength((ulong)Token.Length) + Token.Length;

    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out NewTokenFrame frame)
    {
        _ = type;
        SpanReader r = reader;
        if (!r.TryReadVarIntLengthPrefixed(out ReadOnlySpan<byte> token) || token.IsEmpty)
        {
            frame = default;
            return false;
        }

        frame = new NewTokenFrame(token);
        reader = r;
        return true;
    }

    /// <summary>
    /// Writes the frame (exactly <see cref="Length"/> bytes). Static with a <c>scoped</c> frame so a frame over
    /// short-lived bytes (stackalloc) can be written into a longer-lived writer; <c>frame.Write(ref writer)</c>
    /// works too, through <see cref="FrameWriterExtensions"/>.
    /// </summary>
    public static void Write(ref SpanWriter writer, scoped NewTokenFrame frame)
    {
        writer.WriteByte((byte)FrameType.NewToken);
        writer.WriteVarInt((ulong)frame.Token.Length);
        frame.Token.CopyTo(writer.Reserve(frame.Token.Length));
    }
}
