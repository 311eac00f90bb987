namespace AwgProxy.Interop.Transport;

/// <summary>TLS 1.3 key exchange groups (RFC 8446 section 4.2.7, NamedGroup) the interop flags can name.</summary>
public enum InteropKeyExchangeGroup : ushort
{
    Secp256r1 = 0x0017,
    Secp384r1 = 0x0018,
    Secp521r1 = 0x0019,
    X25519 = 0x001D,
}
