using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Packets;

/// <summary>
/// Writes Version Negotiation packets (RFC 9000 section 17.2.1, RFC 8999 section 6). Parsing is in
/// <see cref="PacketHeader.TryParse"/>; whether a client acts on one (it must ignore a list that includes
/// the version it chose, and check the connection ID echo) is the connection's decision.
/// <code>
/// Version Negotiation Packet {
///   Header Form (1) = 1,
///   Unused (7),
///   Version (32) = 0,
///   Destination Connection ID Length (8),
///   Destination Connection ID (0..2040),
///   Source Connection ID Length (8),
///   Source Connection ID (0..2040),
///   Supported Version (32) ...,
/// }
/// </code>
/// </summary>
public static class VersionNegotiationPacket
{
    public static int GetLength(int destinationIdLength, int sourceIdLength, int versionCount) =>
        1 + 4 + 1 + destinationIdLength + 1 + sourceIdLength + (4 * versionCount);

    /// <summary>Writes a Version Negotiation packet in answer to a client's long header packet.</summary>
    /// <param name="writer">The datagram.</param>
    /// <param name="destinationConnectionId">The client's Source Connection ID, echoed.</param>
    /// <param name="sourceConnectionId">The client's Destination Connection ID, echoed.</param>
    /// <param name="supportedVersions">The versions the server speaks, ideally with one reserved version as grease.</param>
    /// <param name="unusedBits">Arbitrary bits for the Unused field; 0x40 is always set (RFC 9000 section 17.2.1).</param>
    public static void Write(
        ref SpanWriter writer, scoped ReadOnlySpan<byte> destinationConnectionId, scoped ReadOnlySpan<byte> sourceConnectionId,
        scoped ReadOnlySpan<uint> supportedVersions, byte unusedBits = 0)
    {
        if (destinationConnectionId.Length > PacketHeader.MaxInvariantConnectionIdLength || sourceConnectionId.Length > PacketHeader.MaxInvariantConnectionIdLength)
        {
            throw new ArgumentException("A connection ID is at most 255 bytes in any version.");
        }

        if (supportedVersions.IsEmpty) throw new ArgumentException("List at least one version.", nameof(supportedVersions));
        writer.WriteByte((byte)(0x80 | 0x40 | (unusedBits & 0x3f)));
        writer.WriteUInt32(QuicVersion.Negotiation);
        writer.WriteByte((byte)destinationConnectionId.Length);
        destinationConnectionId.CopyTo(writer.Reserve(destinationConnectionId.Length));
        writer.WriteByte((byte)sourceConnectionId.Length);
        sourceConnectionId.CopyTo(writer.Reserve(sourceConnectionId.Length));
        foreach (uint version in supportedVersions)
        {
            writer.WriteUInt32(version);
        }
    }
}
