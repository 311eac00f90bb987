namespace AwgProxy.Quic;

/// <summary>RFC 3168 section 5: the two ECN bits of the IP header.</summary>
public enum EcnCodepoint : byte
{
    NotEct = 0b00,
    Ect1 = 0b01,
    Ect0 = 0b10,
    Ce = 0b11,
}
