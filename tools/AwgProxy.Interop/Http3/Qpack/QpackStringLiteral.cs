namespace AwgProxy.Interop.Http3.Qpack;

/// <summary>
/// RFC 9204 section 4.1.2, an N-bit prefix string literal (RFC 7541 section 5.2 when N = 8): the H bit
/// (Huffman-coded or not), the length as an (N-1)-bit prefix integer, then that many octets.
/// <code>
///   0   1   2   3   4   5   6   7
/// +---+---+---+---+---+---+---+---+
/// | H |    String Length (7+)     |
/// +---+---------------------------+
/// |  String Data (Length octets)  |
/// +-------------------------------+
/// </code>
/// </summary>
public static class QpackStringLiteral
{
    /// <summary>
    /// Reads the literal's header and data (still Huffman-coded if <paramref name="huffman"/>). False
    /// (consuming nothing) if the input is truncated or the length is absurd.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, int prefixBits, out bool huffman, out ReadOnlySpan<byte> data, out int bytesConsumed)
    {
        huffman = false;
        data = default;
        bytesConsumed = 0;
        if (source.IsEmpty)
        {
            return false;
        }

        int lengthPrefix = prefixBits - 1;
        bool h = (source[0] & (1 << lengthPrefix)) != 0;
        if (!QpackInteger.TryRead(source, lengthPrefix, out ulong length, out int headerLength))
        {
            return false;
        }

        if (length > (ulong)(source.Length - headerLength))
        {
            return false;
        }

        huffman = h;
        data = source.Slice(headerLength, (int)length);
        bytesConsumed = headerLength + (int)length;
        return true;
    }

    /// <summary>Octets needed for a raw (not Huffman-coded) literal of <paramref name="length"/> octets.</summary>
    public static int GetLength(int length, int prefixBits) => QpackInteger.GetLength((ulong)length, prefixBits - 1) + length;

    /// <summary>
    /// Writes <paramref name="value"/> as a raw literal (H = 0) whose header shares its first octet with
    /// <paramref name="firstByteFlags"/> (the bits above the N-bit prefix). Returns the octets written.
    /// </summary>
    public static int Write(Span<byte> destination, ReadOnlySpan<byte> value, int prefixBits, byte firstByteFlags)
    {
        int header = QpackInteger.Write(destination, (ulong)value.Length, prefixBits - 1, firstByteFlags);
        value.CopyTo(destination[header..]);
        return header + value.Length;
    }
}
