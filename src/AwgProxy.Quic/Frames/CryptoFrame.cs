using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// CRYPTO (RFC 9000 section 19.6): TLS handshake bytes at an offset of the encryption level's stream.
/// <code>
/// CRYPTO Frame {
///   Type (i) = 0x06,
///   Offset (i),
///   Length (i),
///   Crypto Data (..),
/// }
/// </code>
/// Unlike STREAM, CRYPTO always has a Length field. Offset + Length above 2^62-1 is a
/// FRAME_ENCODING_ERROR. <see cref="Data"/> points into the packet.
/// </summary>
public readonly ref struct CryptoFrame
{
    public CryptoFrame(ulong offset, ReadOnlySpan<byte> data)
    {
        if (offset > VarInt.MaxValue - (ulong)data.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "Offset + length exceeds 2^62-1.");
        }

        Offset = offset;
        Data = data;
    }

    public ulong Offset { get; }

    public ReadOnlySpan<byte> Data { get; }

    /// <summary>The offset just past the data.</summary>
    public ulong EndOffset => Offset + (ulong)Data.Length;

    public int Length => GetHeaderLength(Offset, Data.Length) + Data.Length;

    /// <summary>
    /// How many of <paramref name="available"/> bytes at <paramref name="offset"/> fit in a CRYPTO frame of at
    /// most <paramref name="room"/> bytes; -1 if not even an empty frame fits.
    /// </summary>
    public static int GetMaxDataLength(int room, ulong offset, int available) =>
        FrameSpace.MaxDataLength(room, 1 + VarInt.GetLength(offset), available, withLength: true);

    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out CryptoFrame frame)
    {
        _ = type;
        SpanReader r = reader;
        if (!r.TryReadVarInt(out ulong offset)
            || !r.TryReadVarIntLengthPrefixed(out ReadOnlySpan<byte> data)
            || offset > VarInt.MaxValue - (ulong)data.Length)
        {
            frame = default;
            return false;
        }

        frame = new CryptoFrame(offset, data);
        reader = r;
        return true;
    }

    /// <summary>
    /// Writes the frame (exactly <see cref="Length"/> bytes). Static with a <c>scoped</c> frame so a frame over
    /// short-lived bytes (stackalloc) can be written into a longer-lived writer; <c>frame.Write(ref writer)</c>
    /// works too, through <see cref="FrameWriterExtensions"/>.
    /// </summary>
    public static void Write(ref SpanWriter writer, scoped CryptoFrame frame)
    {
        writer.WriteByte((byte)FrameType.Crypto);
        writer.WriteVarInt(frame.Offset);
        writer.WriteVarInt((ulong)frame.Data.Length);
        frame.Data.CopyTo(writer.Reserve(frame.Data.Length));
    }

    private static int GetHeaderLength(ulong offset, int dataLength) =>
        1 + VarInt.GetLength(offset) + VarInt.GetLength((ulong)dataLength);
}
