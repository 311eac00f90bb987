namespace AwgProxy.Quic;

/// <summary>
/// RFC 9001 section 4.1.4: the encryption levels at which TLS hands data to QUIC. Each level except
/// 0-RTT/1-RTT sharing maps onto one packet number space (RFC 9000 section 12.3).
/// </summary>
public enum EncryptionLevel
{
    Initial = 0,
    ZeroRtt = 1,
    Handshake = 2,
    OneRtt = 3,
}

/// <summary>RFC 9000 section 12.3, Packet Numbers: the three packet number spaces.</summary>
public enum PacketNumberSpace
{
    Initial = 0,
    Handshake = 1,
    ApplicationData = 2,
}

public static class EncryptionLevelExtensions
{
    public static PacketNumberSpace ToPacketNumberSpace(this EncryptionLevel level) => level switch
    {
        EncryptionLevel.Initial => PacketNumberSpace.Initial,
        EncryptionLevel.Handshake => PacketNumberSpace.Handshake,
        _ => PacketNumberSpace.ApplicationData,
    };
}
