using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace AwgProxy.Quic.Coding;

/// <summary>
/// RFC 9000 section 16, Variable-Length Integer Encoding.
/// <code>
/// +======+========+=============+=======================+
/// | 2MSB | Length | Usable Bits | Range                 |
/// +======+========+=============+=======================+
/// | 00   | 1      | 6           | 0-63                  |
/// | 01   | 2      | 14          | 0-16383               |
/// | 10   | 4      | 30          | 0-1073741823          |
/// | 11   | 8      | 62          | 0-4611686018427387903 |
/// +------+--------+-------------+-----------------------+
/// </code>
/// Decoders never throw on network bytes: they return false when the input is short.
/// </summary>
public static class VarInt
{
    /// <summary>The largest value a variable-length integer can carry (2^62 - 1).</summary>
    public const ulong MaxValue = (1UL << 62) - 1;

    /// <summary>Bytes needed to encode <paramref name="value"/> in the shortest form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetLength(ulong value)
    {
        if (value <= 63) return 1;
        if (value <= 16383) return 2;
        if (value <= 1073741823) return 4;
        if (value <= MaxValue) return 8;
        throw new ArgumentOutOfRangeException(nameof(value), value, "Value exceeds 2^62-1.");
    }

    /// <summary>Length of the encoding that starts with <paramref name="firstByte"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetEncodedLength(byte firstByte) => 1 << (firstByte >> 6);

    /// <summary>Reads one integer. Returns false (and consumes nothing) if <paramref name="source"/> is too short.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryRead(ReadOnlySpan<byte> source, out ulong value, out int bytesConsumed)
    {
        if (source.IsEmpty)
        {
            value = 0;
            bytesConsumed = 0;
            return false;
        }

        int length = GetEncodedLength(source[0]);
        if (source.Length < length)
        {
            value = 0;
            bytesConsumed = 0;
            return false;
        }

        value = length switch
        {
            1 => source[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(source) & 0x3FFFu,
            4 => BinaryPrimitives.ReadUInt32BigEndian(source) & 0x3FFF_FFFFu,
            _ => BinaryPrimitives.ReadUInt64BigEndian(source) & 0x3FFF_FFFF_FFFF_FFFFUL,
        };
        bytesConsumed = length;
        return true;
    }

    /// <summary>Writes <paramref name="value"/> in its shortest form. Returns false if the destination is too short.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryWrite(Span<byte> destination, ulong value, out int bytesWritten)
        => TryWrite(destination, value, GetLength(value), out bytesWritten);

    /// <summary>
    /// Writes <paramref name="value"/> using exactly <paramref name="length"/> bytes (1, 2, 4 or 8), e.g. to
    /// reserve a length field before its content is known. Throws if the value does not fit that length.
    /// </summary>
    public static bool TryWrite(Span<byte> destination, ulong value, int length, out int bytesWritten)
    {
        if (destination.Length < length)
        {
            bytesWritten = 0;
            return false;
        }

        switch (length)
        {
            case 1:
                if (value > 63) throw new ArgumentOutOfRangeException(nameof(value));
                destination[0] = (byte)value;
                break;
            case 2:
                if (value > 16383) throw new ArgumentOutOfRangeException(nameof(value));
                BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(value | 0x4000));
                break;
            case 4:
                if (value > 1073741823) throw new ArgumentOutOfRangeException(nameof(value));
                BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)value | 0x8000_0000u);
                break;
            case 8:
                if (value > MaxValue) throw new ArgumentOutOfRangeException(nameof(value));
                BinaryPrimitives.WriteUInt64BigEndian(destination, value | 0xC000_0000_0000_0000UL);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(length), length, "Length must be 1, 2, 4 or 8.");
        }

        bytesWritten = length;
        return true;
    }
}
