using System.Buffers;

namespace AwgProxy.Quic.Connections;

/// <summary>
/// A protected packet that arrived before the keys to open it (RFC 9001 section 5.7): a copy of its bytes in a
/// pooled buffer, processed once the keys are installed.
/// </summary>
internal sealed class PendingPacket
{
    /// <summary>At most this many packets wait for keys.</summary>
    public const int MaxCount = 16;

    private PendingPacket(byte[] buffer, int length, EncryptionLevel level, EcnCodepoint ecn, int datagramLength)
    {
        Buffer = buffer;
        Length = length;
        Level = level;
        Ecn = ecn;
        DatagramLength = datagramLength;
    }

    public byte[] Buffer { get; }

    public int Length { get; }

    public EncryptionLevel Level { get; }

    public EcnCodepoint Ecn { get; }

    /// <summary>The size of the datagram that carried it.</summary>
    public int DatagramLength { get; }

    public Span<byte> Packet => Buffer.AsSpan(0, Length);

    public static PendingPacket Create(ReadOnlySpan<byte> packet, EncryptionLevel level, EcnCodepoint ecn, int datagramLength)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(packet.Length);
        packet.CopyTo(buffer);
        return new PendingPacket(buffer, packet.Length, level, ecn, datagramLength);
    }

    public void Release() => ArrayPool<byte>.Shared.Return(Buffer);
}
