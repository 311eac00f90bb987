using System.Buffers.Binary;

namespace AwgProxy.Obfuscation.Tests.Support;

/// <summary>
/// Hand-built datagrams that look like QUIC v1 to a first-byte check: the right Header Form, Fixed Bit,
/// Long Packet Type and Version, then a recognisable byte pattern (nothing is encrypted or parsed further).
/// </summary>
public static class QuicSamples
{
    /// <summary>A client Initial padded to 1200 bytes, as RFC 9000 §14.1 requires.</summary>
    public static byte[] Initial(int length = 1200, byte seed = 1) => Long(0xC3, length, seed);

    /// <summary>A 0-RTT packet (Long Packet Type 1).</summary>
    public static byte[] ZeroRtt(int length = 300, byte seed = 2) => Long(0xD1, length, seed);

    /// <summary>A Handshake packet (Long Packet Type 2).</summary>
    public static byte[] Handshake(int length = 600, byte seed = 3) => Long(0xE0, length, seed);

    /// <summary>A Retry packet (Long Packet Type 3).</summary>
    public static byte[] Retry(int length = 120, byte seed = 4) => Long(0xF0, length, seed);

    /// <summary>A 1-RTT (short header) packet: Header Form 0, Fixed Bit 1.</summary>
    public static byte[] Short(int length = 900, byte seed = 5)
    {
        var datagram = Pattern(length, seed);
        datagram[0] = 0x43;
        return datagram;
    }

    /// <summary>True when <paramref name="datagram"/> starts like a QUIC v1 long header (what a DPI box would match).</summary>
    public static bool LooksLikeQuicV1LongHeader(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= 5 && (datagram[0] & 0xC0) == 0xC0 && BinaryPrimitives.ReadUInt32BigEndian(datagram[1..]) == 1;

    private static byte[] Long(byte firstByte, int length, byte seed)
    {
        var datagram = Pattern(length, seed);
        datagram[0] = firstByte;
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(1), 0x0000_0001);
        datagram[5] = 8; // Destination Connection ID Length
        return datagram;
    }

    private static byte[] Pattern(int length, byte seed)
    {
        var datagram = new byte[length];
        for (var i = 0; i < length; i++)
        {
            datagram[i] = unchecked((byte)((i * 31) + seed));
        }

        return datagram;
    }
}
