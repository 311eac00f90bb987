using System.Buffers.Binary;

namespace AwgProxy.Quic.Crypto;

/// <summary>
/// RFC 9001 section 5.4.1, applying and removing header protection on one packet in a caller buffer:
/// <code>
/// mask = header_protection(hp_key, sample)
///
/// pn_length = (packet[0] &amp; 0x03) + 1
/// if (packet[0] &amp; 0x80) == 0x80:
///    # Long header: 4 bits masked
///    packet[0] ^= mask[0] &amp; 0x0f
/// else:
///    # Short header: 5 bits masked
///    packet[0] ^= mask[0] &amp; 0x1f
///
/// # pn_offset is the start of the Packet Number field.
/// packet[pn_offset:pn_offset+pn_length] ^= mask[1:1+pn_length]
/// </code>
/// The sample is <c>packet[pn_offset + 4 .. pn_offset + 20]</c> (section 5.4.2), so a packet shorter than
/// <c>pn_offset + 20</c> bytes cannot be protected and must be discarded on receipt. The packet number is
/// unmasked through one 4-byte word whatever its length, without branching on the secret length.
/// </summary>
public static class HeaderProtection
{
    /// <summary>Distance from the start of the Packet Number field to the sample (the maximum packet number length).</summary>
    public const int SampleOffset = 4;

    /// <summary>The smallest packet (in bytes) whose packet number starts at <paramref name="pnOffset"/>.</summary>
    public static int MinimumPacketLength(int pnOffset) => pnOffset + SampleOffset + HeaderProtectionKey.SampleLength;

    /// <summary>
    /// Applies header protection to <paramref name="packet"/> (exactly one packet whose payload is already
    /// encrypted, with its unprotected first byte and packet number). Returns the packet number length taken
    /// from the unprotected first byte.
    /// </summary>
    /// <exception cref="ArgumentException">The packet is too short to sample: the sender must pad (RFC 9001 section 5.4.2).</exception>
    public static int Apply(Span<byte> packet, int pnOffset, HeaderProtectionKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (pnOffset < 1 || packet.Length < MinimumPacketLength(pnOffset))
            throw new ArgumentException($"A packet with the packet number at offset {pnOffset} needs at least {MinimumPacketLength(pnOffset)} bytes for the header protection sample; it has {packet.Length}.", nameof(packet));

        Span<byte> mask = stackalloc byte[HeaderProtectionKey.MaskLength];
        key.ComputeMask(packet.Slice(pnOffset + SampleOffset, HeaderProtectionKey.SampleLength), mask);

        int pnLength = (packet[0] & 0x03) + 1;
        packet[0] ^= (byte)(mask[0] & FirstByteMask(packet[0]));
        XorPacketNumber(packet.Slice(pnOffset, SampleOffset), mask, pnLength);
        return pnLength;
    }

    /// <summary>
    /// Removes header protection from <paramref name="packet"/> (exactly one packet: for a long header up to the
    /// end given by its Length field, for a short header the rest of the datagram). On success the first byte and
    /// the packet number are unprotected in place and the truncated packet number and its length (1 to 4) are
    /// returned. Returns false, leaving the buffer untouched, when the packet is too short to sample.
    /// </summary>
    public static bool TryRemove(Span<byte> packet, int pnOffset, HeaderProtectionKey key, out uint truncatedPacketNumber, out int packetNumberLength)
    {
        ArgumentNullException.ThrowIfNull(key);
        truncatedPacketNumber = 0;
        packetNumberLength = 0;
        if (pnOffset < 1 || pnOffset > packet.Length - SampleOffset - HeaderProtectionKey.SampleLength)
            return false;

        Span<byte> mask = stackalloc byte[HeaderProtectionKey.MaskLength];
        key.ComputeMask(packet.Slice(pnOffset + SampleOffset, HeaderProtectionKey.SampleLength), mask);

        // The header form bit is never masked, so the protected byte tells which bits to unmask.
        packet[0] ^= (byte)(mask[0] & FirstByteMask(packet[0]));
        packetNumberLength = (packet[0] & 0x03) + 1;
        truncatedPacketNumber = XorPacketNumber(packet.Slice(pnOffset, SampleOffset), mask, packetNumberLength);
        return true;
    }

    /// <summary>0x0f for a long header (reserved bits and packet number length), 0x1f for a short header (plus the key phase).</summary>
    private static int FirstByteMask(byte firstByte) => (firstByte & 0x80) != 0 ? 0x0f : 0x1f;

    /// <summary>XORs mask[1..1+pnLength] into the first pnLength of the four bytes at the packet number; returns the result's packet number.</summary>
    private static uint XorPacketNumber(Span<byte> fourBytes, ReadOnlySpan<byte> mask, int pnLength)
    {
        int unusedBits = 8 * (4 - pnLength);
        uint field = BinaryPrimitives.ReadUInt32BigEndian(fourBytes);
        field ^= BinaryPrimitives.ReadUInt32BigEndian(mask[1..]) & (uint.MaxValue << unusedBits);
        BinaryPrimitives.WriteUInt32BigEndian(fourBytes, field);
        return field >> unusedBits;
    }
}
