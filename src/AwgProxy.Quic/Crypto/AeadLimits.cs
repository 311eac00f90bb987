namespace AwgProxy.Quic.Crypto;

/// <summary>
/// RFC 9001 section 6.6, Limits on AEAD Usage.
/// <list type="bullet">
/// <item>Confidentiality limit: packets one key may encrypt. AEAD_AES_128_GCM and AEAD_AES_256_GCM: 2^23.
/// AEAD_CHACHA20_POLY1305: larger than the number of possible packets (2^62), so disregarded.</item>
/// <item>Integrity limit: packets that may fail authentication within a connection, across all keys.
/// AES-GCM: 2^52. AEAD_CHACHA20_POLY1305: 2^36.</item>
/// </list>
/// An endpoint must update keys before it exceeds the confidentiality limit, and must close the connection
/// with AEAD_LIMIT_REACHED once the integrity limit is exceeded.
/// </summary>
public static class AeadLimits
{
    /// <summary>Number of packets one key of <paramref name="suite"/> may encrypt.</summary>
    public static long ConfidentialityLimit(CipherSuite suite) => suite switch
    {
        CipherSuite.TLS_CHACHA20_POLY1305_SHA256 => long.MaxValue,
        _ => 1L << 23,
    };

    /// <summary>Number of received packets of <paramref name="suite"/> that may fail authentication in one connection.</summary>
    public static long IntegrityLimit(CipherSuite suite) => suite switch
    {
        CipherSuite.TLS_CHACHA20_POLY1305_SHA256 => 1L << 36,
        _ => 1L << 52,
    };
}
