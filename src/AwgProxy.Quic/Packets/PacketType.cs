namespace AwgProxy.Quic.Packets;

/// <summary>
/// The QUIC version 1 packet types (RFC 9000 section 17). The first four values equal the Long Packet
/// Type bits of a version 1 long header (RFC 9000 Table 5).
/// </summary>
public enum PacketType
{
    Initial = 0x0,
    ZeroRtt = 0x1,
    Handshake = 0x2,
    Retry = 0x3,
    VersionNegotiation = 4,

    /// <summary>The short header packet (RFC 9000 section 17.3.1).</summary>
    OneRtt = 5,
}

public static class PacketTypeExtensions
{
    /// <summary>True for the types that carry a packet number and a protected payload of frames.</summary>
    public static bool HasPacketNumber(this PacketType type) =>
        type is PacketType.Initial or PacketType.ZeroRtt or PacketType.Handshake or PacketType.OneRtt;

    /// <summary>The encryption level protecting a packet of this type. Throws for Retry and Version Negotiation.</summary>
    public static EncryptionLevel ToEncryptionLevel(this PacketType type) => type switch
    {
        PacketType.Initial => EncryptionLevel.Initial,
        PacketType.ZeroRtt => EncryptionLevel.ZeroRtt,
        PacketType.Handshake => EncryptionLevel.Handshake,
        PacketType.OneRtt => EncryptionLevel.OneRtt,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "This packet type is not protected by an encryption level."),
    };

    /// <summary>The packet number space of a packet of this type. Throws for Retry and Version Negotiation.</summary>
    public static PacketNumberSpace ToPacketNumberSpace(this PacketType type) => type.ToEncryptionLevel().ToPacketNumberSpace();

    /// <summary>The packet type that carries data at <paramref name="level"/>.</summary>
    public static PacketType FromEncryptionLevel(EncryptionLevel level) => level switch
    {
        EncryptionLevel.Initial => PacketType.Initial,
        EncryptionLevel.ZeroRtt => PacketType.ZeroRtt,
        EncryptionLevel.Handshake => PacketType.Handshake,
        EncryptionLevel.OneRtt => PacketType.OneRtt,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };
}
