namespace AwgProxy.Quic.Tls;

/// <summary>
/// RFC 8446 section 4.2.7, Supported Groups: the (EC)DHE groups this stack implements.
/// <code>
/// enum {
///     /* Elliptic Curve Groups (ECDHE) */
///     secp256r1(0x0017), secp384r1(0x0018), secp521r1(0x0019),
///     x25519(0x001D), x448(0x001E),
///     ...
/// } NamedGroup;
/// </code>
/// Other values received from a peer (GREASE, x448, finite-field groups) are carried as
/// unnamed values of this enum and never selected.
/// </summary>
public enum NamedGroup : ushort
{
    /// <summary>secp256r1 (NIST P-256), uncompressed points (RFC 8446 section 4.2.8.2).</summary>
    Secp256r1 = 0x0017,

    /// <summary>x25519 (RFC 7748).</summary>
    X25519 = 0x001D,
}
