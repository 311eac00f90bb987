using System.Security.Cryptography;

namespace AwgProxy.Quic.Crypto;

/// <summary>RFC 8446 appendix B.4, the TLS 1.3 cipher suites QUIC may use (RFC 9001 section 5.3).</summary>
public enum CipherSuite : ushort
{
    TLS_AES_128_GCM_SHA256 = 0x1301,
    TLS_AES_256_GCM_SHA384 = 0x1302,
    TLS_CHACHA20_POLY1305_SHA256 = 0x1303,
}

public static class CipherSuiteExtensions
{
    public static HashAlgorithmName HashAlgorithm(this CipherSuite suite) => suite switch
    {
        CipherSuite.TLS_AES_256_GCM_SHA384 => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA256,
    };

    /// <summary>Output length of the suite's hash, which is also the length of every secret it derives.</summary>
    public static int HashLength(this CipherSuite suite) => suite == CipherSuite.TLS_AES_256_GCM_SHA384 ? 48 : 32;

    /// <summary>AEAD key length (RFC 9001 section 5.1: "quic key").</summary>
    public static int KeyLength(this CipherSuite suite) => suite == CipherSuite.TLS_AES_128_GCM_SHA256 ? 16 : 32;

    /// <summary>AEAD nonce / IV length: 12 bytes for all three suites.</summary>
    public static int IvLength(this CipherSuite suite) => 12;

    /// <summary>Header protection key length (RFC 9001 section 5.4: "quic hp").</summary>
    public static int HeaderProtectionKeyLength(this CipherSuite suite) => suite.KeyLength();

    /// <summary>
    /// Whether this platform can run the suite: whether the AEAD backend <see cref="PacketKey"/> picks for it is
    /// available (ChaCha20-Poly1305 comes from libsodium and runs everywhere; AES-GCM from libsodium with hardware
    /// AES for AES-256, otherwise from <see cref="AesGcm"/>).
    /// </summary>
    public static bool IsSupported(this CipherSuite suite) =>
        AeadBackends.IsAvailable(AeadBackends.Default(suite));
}
