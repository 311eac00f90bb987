namespace AwgProxy.Interop.Http3.Qpack;

/// <summary>
/// RFC 7541 section 5.1, prefixed integers, as QPACK uses them (RFC 9204 section 4.1.1): an N-bit prefix
/// in the low bits of the first octet, continued in 7-bit groups, least significant first, while the
/// prefix is all ones.
/// <code>
///   0   1   2   3   4   5   6   7
/// +---+---+---+---+---+---+---+---+
/// | ? | ? | ? |       Value       |   value &lt; 2^N - 1
/// +---+---+---+-------------------+
///
/// +---+---+---+---+---+---+---+---+
/// | ? | ? | ? | 1   1   1   1   1 |   value &gt;= 2^N - 1
/// +---+---+---+-------------------+
/// | 1 |    Value-(2^N-1) LSB      |
/// +---+---------------------------+
///                ...
/// +---+---------------------------+
/// | 0 |    Value-(2^N-1) MSB      |
/// +---+---------------------------+
/// </code>
/// QPACK decoders must handle values up to 62 bits; larger ones are rejected.
/// </summary>
public static class QpackInteger
{
    /// <summary>The largest value accepted (2^62 - 1).</summary>
    public const ulong MaxValue = (1UL << 62) - 1;

    /// <summary>
    /// Reads an integer whose prefix is the low <paramref name="prefixBits"/> (1-8) bits of
    /// <paramref name="source"/>[0]. False (consuming nothing) if the input is truncated or the value exceeds
    /// <see cref="MaxValue"/>.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, int prefixBits, out ulong value, out int bytesConsumed)
    {
        value = 0;
        bytesConsumed = 0;
        if (source.IsEmpty)
        {
            return false;
        }

        ulong prefixMax = (1UL << prefixBits) - 1;
        ulong result = source[0] & prefixMax;
        if (result < prefixMax)
        {
            value = result;
            bytesConsumed = 1;
            return true;
        }

        int shift = 0;
        for (int i = 1; i < source.Length; i++)
        {
            byte octet = source[i];
            ulong group = (ulong)(octet & 0x7F);
            if (shift > 56 || (group << shift) >> shift != group)
            {
                return false;
            }

            result += group << shift;
            if (result > MaxValue)
            {
                return false;
            }

            shift += 7;
            if ((octet & 0x80) == 0)
            {
                value = result;
                bytesConsumed = i + 1;
                return true;
            }
        }

        return false;
    }

    /// <summary>Octets needed to write <paramref name="value"/> with a <paramref name="prefixBits"/>-bit prefix.</summary>
    public static int GetLength(ulong value, int prefixBits)
    {
        ulong prefixMax = (1UL << prefixBits) - 1;
        if (value < prefixMax)
        {
            return 1;
        }

        int length = 1;
        value -= prefixMax;
        do
        {
            length++;
            value >>= 7;
        }
        while (value != 0);
        return length;
    }

    /// <summary>
    /// Writes <paramref name="value"/> with a <paramref name="prefixBits"/>-bit prefix; the bits above the prefix
    /// in the first octet are taken from <paramref name="firstByteFlags"/>. Returns the octets written.
    /// </summary>
    public static int Write(Span<byte> destination, ulong value, int prefixBits, byte firstByteFlags)
    {
        int length = GetLength(value, prefixBits);
        if (destination.Length < length)
        {
            throw new ArgumentException("Destination too small.", nameof(destination));
        }

        ulong prefixMax = (1UL << prefixBits) - 1;
        if (value < prefixMax)
        {
            destination[0] = (byte)(firstByteFlags | (byte)value);
            return 1;
        }

        destination[0] = (byte)(firstByteFlags | (byte)prefixMax);
        value -= prefixMax;
        int i = 1;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(0x80 | (value & 0x7F));
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }
}
