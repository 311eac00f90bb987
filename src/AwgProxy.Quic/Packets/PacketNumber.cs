using System.Numerics;

namespace AwgProxy.Quic.Packets;

/// <summary>
/// Packet number encoding and decoding (RFC 9000 section 17.1 and Appendix A.2/A.3). On the wire a
/// packet number is truncated to its 1-4 least significant bytes; the receiver rebuilds it from the
/// largest packet number it has successfully processed in the same space.
/// </summary>
public static class PacketNumber
{
    /// <summary>The largest packet number a sender may use (2^62 - 1, RFC 9000 section 12.3).</summary>
    public const ulong MaxValue = (1UL << 62) - 1;

    /// <summary>The longest packet number encoding.</summary>
    public const int MaxLength = 4;

    /// <summary>
    /// Appendix A.2: the number of bytes needed so that the encoding covers at least twice the range
    /// between <paramref name="packetNumber"/> and the largest acknowledged packet (or, when nothing
    /// has been acknowledged yet, twice <paramref name="packetNumber"/> + 1). Capped at 4 bytes: a sender
    /// with more than 2^31 packets in flight cannot be decoded reliably however it encodes.
    /// </summary>
    public static int GetEncodedLength(ulong packetNumber, ulong? largestAcknowledged)
    {
        ulong unacknowledged = largestAcknowledged switch
        {
            null => packetNumber + 1,
            { } largest when largest < packetNumber => packetNumber - largest,
            _ => 1,
        };

        // The smallest number of bytes b with 2 * unacknowledged <= 2^(8b), i.e. log2(n) + 1 bits rounded up to bytes.
        int bitsNeeded = 64 - BitOperations.LeadingZeroCount(unacknowledged) + (BitOperations.IsPow2(unacknowledged) ? 0 : 1);
        int bytes = (bitsNeeded + 7) / 8;
        return Math.Clamp(bytes, 1, MaxLength);
    }

    /// <summary>The <paramref name="length"/> least significant bytes of <paramref name="packetNumber"/>.</summary>
    public static uint Truncate(ulong packetNumber, int length)
    {
        ValidateLength(length);
        return (uint)(packetNumber & (ulong.MaxValue >> (64 - (8 * length))));
    }

    /// <summary>Writes the truncated packet number big-endian in exactly <paramref name="length"/> bytes.</summary>
    public static void Write(Span<byte> destination, ulong packetNumber, int length)
    {
        ValidateLength(length);
        if (destination.Length < length) throw new ArgumentException("Destination too small.", nameof(destination));
        uint truncated = Truncate(packetNumber, length);
        for (int i = length - 1; i >= 0; i--)
        {
            destination[i] = (byte)truncated;
            truncated >>= 8;
        }
    }

    /// <summary>
    /// Reads a truncated packet number of <paramref name="length"/> bytes (after header protection has
    /// been removed). Returns false if <paramref name="source"/> is shorter than that.
    /// </summary>
    public static bool TryReadTruncated(ReadOnlySpan<byte> source, int length, out uint truncated)
    {
        ValidateLength(length);
        truncated = 0;
        if (source.Length < length) return false;
        for (int i = 0; i < length; i++)
        {
            truncated = (truncated << 8) | source[i];
        }

        return true;
    }

    /// <summary>
    /// Appendix A.3: the full packet number closest to the next expected one whose <paramref name="length"/>
    /// low bytes equal <paramref name="truncated"/>. <paramref name="largestReceived"/> is the largest packet
    /// number successfully processed in this packet number space, or null if there is none yet.
    /// </summary>
    public static ulong Decode(ulong? largestReceived, uint truncated, int length)
    {
        ValidateLength(length);
        int bits = 8 * length;
        long expected = largestReceived is { } largest ? (long)Math.Min(largest, MaxValue) + 1 : 0;
        long window = 1L << bits;
        long halfWindow = window / 2;
        long mask = window - 1;
        long candidate = (expected & ~mask) | (truncated & mask);
        if (candidate <= expected - halfWindow && candidate < (1L << 62) - window)
        {
            return (ulong)(candidate + window);
        }

        if (candidate > expected + halfWindow && candidate >= window)
        {
            return (ulong)(candidate - window);
        }

        return (ulong)candidate;
    }

    private static void ValidateLength(int length)
    {
        if (length is < 1 or > MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "A packet number is encoded in 1 to 4 bytes.");
        }
    }
}
