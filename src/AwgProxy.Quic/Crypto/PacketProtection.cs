using System.Buffers.Binary;

namespace AwgProxy.Quic.Crypto;

/// <summary>
/// RFC 9001 section 5: protecting and unprotecting one QUIC packet in the caller's buffer, without allocating.
/// <para>Buffer layout, for exactly one packet (coalesced packets are handled one slice at a time):</para>
/// <code>
/// 0                pnOffset           pnOffset + pnLength                 packet.Length - 16   packet.Length
/// | header ......... | packet number   | payload ........................... | tag (16 bytes)   |
///  \___________ associated data _____/ \____ plaintext / ciphertext _____/
/// </code>
/// <para>Sending: <see cref="Protect(Span{byte}, int, int, ulong, PacketKey, HeaderProtectionKey)"/> takes the
/// header with its unprotected first byte and truncated packet number (for a long header the Length field
/// already counts packet number + payload + 16), the plaintext payload, and 16 spare bytes at the end. It
/// encrypts the payload in place, writes the tag into the spare bytes, then applies header protection.
/// pnLength + payload length must be at least 4 so the 16-byte sample fits (RFC 9001 section 5.4.2).</para>
/// <para>Receiving, in two steps because the full packet number is decoded in between (RFC 9000 appendix A.3):
/// <see cref="TryRemoveHeaderProtection"/>, then
/// <see cref="TryDecryptPayload(Span{byte}, int, int, ulong, PacketKey, out Span{byte})"/>, which returns the
/// plaintext as a slice of <c>packet</c>. A false return means "drop the packet"; nothing is thrown for
/// malformed or forged input.</para>
/// </summary>
public static class PacketProtection
{
    /// <summary>Bytes the AEAD appends to every payload.</summary>
    public const int TagLength = PacketKey.TagLength;

    /// <summary>
    /// Encrypts the payload of <paramref name="packet"/> in place, writes its tag into the last 16 bytes and applies
    /// header protection. <paramref name="packetNumber"/> is the full packet number whose low
    /// <paramref name="pnLength"/> bytes are at <paramref name="pnOffset"/>; <c>packet[0] &amp; 0x03</c> must be
    /// <c>pnLength - 1</c>. For 1-RTT packets, set the Key Phase bit of the key before calling.
    /// </summary>
    /// <exception cref="ArgumentException">The layout is inconsistent or the packet is too short to sample.</exception>
    public static void Protect(Span<byte> packet, int pnOffset, int pnLength, ulong packetNumber, PacketKey key, HeaderProtectionKey headerProtection)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(headerProtection);
        ArgumentOutOfRangeException.ThrowIfLessThan(pnLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pnLength, 4);
        ArgumentOutOfRangeException.ThrowIfLessThan(pnOffset, 1);
        int headerLength = pnOffset + pnLength;
        if (packet.Length < HeaderProtection.MinimumPacketLength(pnOffset) || packet.Length < headerLength + TagLength)
            throw new ArgumentException($"The packet needs at least {HeaderProtection.MinimumPacketLength(pnOffset)} bytes (packet number + payload of 4 bytes or more, plus the tag); it has {packet.Length}.", nameof(packet));
        if ((packet[0] & 0x03) + 1 != pnLength)
            throw new ArgumentException($"The first byte encodes a {(packet[0] & 0x03) + 1}-byte packet number, not {pnLength}.", nameof(packet));
        // The sample rule guarantees four readable bytes at pnOffset; compare without branching on pnLength.
        int unusedBits = 8 * (4 - pnLength);
        uint encoded = BinaryPrimitives.ReadUInt32BigEndian(packet[pnOffset..]) >> unusedBits;
        if (encoded != (uint)(packetNumber & (uint.MaxValue >> unusedBits)))
            throw new ArgumentException("The packet number field does not hold the low bytes of the packet number.", nameof(packet));

        key.Seal(packetNumber, packet[..headerLength], packet[headerLength..]);
        HeaderProtection.Apply(packet, pnOffset, headerProtection);
    }

    /// <summary>The same as the other overload with the current packet key and the header protection key of <paramref name="keys"/>.</summary>
    public static void Protect(Span<byte> packet, int pnOffset, int pnLength, ulong packetNumber, DirectionKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Protect(packet, pnOffset, pnLength, packetNumber, keys.Current, keys.HeaderProtection);
    }

    /// <summary>
    /// Removes header protection in place (see <see cref="HeaderProtection.TryRemove"/>). Afterwards the caller
    /// reads the Key Phase bit from <c>packet[0]</c> if needed, decodes the full packet number from
    /// <paramref name="truncatedPacketNumber"/> and <paramref name="pnLength"/>, and calls
    /// <see cref="TryDecryptPayload(Span{byte}, int, int, ulong, PacketKey, out Span{byte})"/>.
    /// Returns false when the packet is too short to contain a sample (discard it).
    /// </summary>
    public static bool TryRemoveHeaderProtection(Span<byte> packet, int pnOffset, HeaderProtectionKey headerProtection, out uint truncatedPacketNumber, out int pnLength) =>
        HeaderProtection.TryRemove(packet, pnOffset, headerProtection, out truncatedPacketNumber, out pnLength);

    /// <summary>
    /// Decrypts the payload of a packet whose header protection is removed. On success <paramref name="plaintext"/> is
    /// <c>packet[(pnOffset + pnLength)..^16]</c>, decrypted in place. Returns false (and counts a failed decryption on
    /// <paramref name="key"/>) when authentication fails or the packet cannot hold a tag; the payload bytes are then
    /// unspecified and the packet must be dropped.
    /// </summary>
    public static bool TryDecryptPayload(Span<byte> packet, int pnOffset, int pnLength, ulong packetNumber, PacketKey key, out Span<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(pnLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pnLength, 4);
        plaintext = default;
        int headerLength = pnOffset + pnLength;
        if (pnOffset < 1 || packet.Length < headerLength + TagLength)
            return false;

        if (!key.TryOpen(packetNumber, packet[..headerLength], packet[headerLength..]))
            return false;
        plaintext = packet[headerLength..^TagLength];
        return true;
    }
}
