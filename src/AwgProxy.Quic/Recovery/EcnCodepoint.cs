namespace AwgProxy.Quic.Recovery;

/// <summary>
/// The two-bit ECN field of the IP header (RFC 3168 section 5), with the values it has on the wire.
/// </summary>
public enum EcnCodepoint : byte
{
    /// <summary>Not ECN-Capable Transport.</summary>
    NotEct = 0b00,

    /// <summary>ECN-Capable Transport, ECT(1).</summary>
    Ect1 = 0b01,

    /// <summary>ECN-Capable Transport, ECT(0).</summary>
    Ect0 = 0b10,

    /// <summary>Congestion Experienced.</summary>
    Ce = 0b11,
}
