using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Packets;

/// <summary>
/// Retry packets (RFC 9000 section 17.2.5) and the pseudo-packet their integrity tag is computed over
/// (RFC 9001 section 5.8). Parsing is in <see cref="PacketHeader.TryParse"/>; the tag itself is computed
/// and checked by the packet protection code.
/// <code>
/// Retry Packet {                      Retry Pseudo-Packet {
///   Header Form (1) = 1,                ODCID Length (8),
///   Fixed Bit (1) = 1,                  Original Destination Connection ID (0..160),
///   Long Packet Type (2) = 3,           Header Form (1) = 1,
///   Unused (4),                         Fixed Bit (1) = 1,
///   Version (32),                       Long Packet Type (2) = 3,
///   DCID Len (8), DCID (0..160),        Unused (4),
///   SCID Len (8), SCID (0..160),        Version (32),
///   Retry Token (..),                   DCID Len (8), DCID (0..160),
///   Retry Integrity Tag (128),          SCID Len (8), SCID (0..160),
/// }                                     Retry Token (..),
///                                     }
/// </code>
/// </summary>
public static class RetryPacket
{
    /// <summary>The bytes <see cref="WriteWithoutTag"/> writes; add <see cref="PacketHeader.RetryIntegrityTagLength"/> for the whole packet.</summary>
    public static int GetLengthWithoutTag(int destinationIdLength, int sourceIdLength, int tokenLength) =>
        1 + 4 + 1 + destinationIdLength + 1 + sourceIdLength + tokenLength;

    /// <summary>Writes a Retry packet up to (not including) its integrity tag, which the caller appends.</summary>
    /// <param name="writer">The datagram.</param>
    /// <param name="version">The version of the client's Initial.</param>
    /// <param name="destinationConnectionId">The client's Source Connection ID.</param>
    /// <param name="sourceConnectionId">The connection ID the server picks (the client's next Destination Connection ID).</param>
    /// <param name="token">The Retry Token, not empty.</param>
    /// <param name="unusedBits">Arbitrary low 4 bits of the first byte.</param>
    public static void WriteWithoutTag(
        ref SpanWriter writer, uint version, scoped ReadOnlySpan<byte> destinationConnectionId, scoped ReadOnlySpan<byte> sourceConnectionId,
        scoped ReadOnlySpan<byte> token, byte unusedBits = 0)
    {
        if (destinationConnectionId.Length > ConnectionId.MaxLength || sourceConnectionId.Length > ConnectionId.MaxLength)
        {
            throw new ArgumentException("A connection ID is at most 20 bytes.");
        }

        if (token.IsEmpty) throw new ArgumentException("A Retry token cannot be empty.", nameof(token));
        writer.WriteByte((byte)(0xf0 | (unusedBits & 0x0f)));
        writer.WriteUInt32(version);
        writer.WriteByte((byte)destinationConnectionId.Length);
        destinationConnectionId.CopyTo(writer.Reserve(destinationConnectionId.Length));
        writer.WriteByte((byte)sourceConnectionId.Length);
        sourceConnectionId.CopyTo(writer.Reserve(sourceConnectionId.Length));
        token.CopyTo(writer.Reserve(token.Length));
    }

    /// <summary>A received Retry packet without its last 16 bytes (the tag). Empty if too short.</summary>
    public static ReadOnlySpan<byte> WithoutTag(ReadOnlySpan<byte> retryPacket) =>
        retryPacket.Length < PacketHeader.RetryIntegrityTagLength ? default : retryPacket[..^PacketHeader.RetryIntegrityTagLength];

    public static int GetPseudoPacketLength(int originalDestinationIdLength, int retryPacketWithoutTagLength) =>
        1 + originalDestinationIdLength + retryPacketWithoutTagLength;

    /// <summary>
    /// Writes the Retry pseudo-packet into <paramref name="destination"/> and returns its length.
    /// </summary>
    /// <param name="destination">At least <see cref="GetPseudoPacketLength"/> bytes.</param>
    /// <param name="originalDestinationConnectionId">The Destination Connection ID of the client's first Initial.</param>
    /// <param name="retryPacketWithoutTag">The Retry packet without its tag (see <see cref="WithoutTag"/>).</param>
    public static int WritePseudoPacket(Span<byte> destination, ReadOnlySpan<byte> originalDestinationConnectionId, ReadOnlySpan<byte> retryPacketWithoutTag)
    {
        if (originalDestinationConnectionId.Length > ConnectionId.MaxLength)
        {
            throw new ArgumentException("A connection ID is at most 20 bytes.", nameof(originalDestinationConnectionId));
        }

        int length = GetPseudoPacketLength(originalDestinationConnectionId.Length, retryPacketWithoutTag.Length);
        if (destination.Length < length) throw new ArgumentException("Destination too small.", nameof(destination));
        destination[0] = (byte)originalDestinationConnectionId.Length;
        originalDestinationConnectionId.CopyTo(destination[1..]);
        retryPacketWithoutTag.CopyTo(destination[(1 + originalDestinationConnectionId.Length)..]);
        return length;
    }
}
