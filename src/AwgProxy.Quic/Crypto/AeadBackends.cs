using System.Security.Cryptography;

namespace AwgProxy.Quic.Crypto;

/// <summary>
/// Which <see cref="AeadBackend"/> serves each cipher suite. The rule follows per-call cost measured on the project
/// machine (x86-64, OpenSSL 3, .NET 10; docs/quic.md, Performance): each call into the BCL's OpenSSL shim costs
/// 1-2 µs whatever the length (a 48-byte seal costs as much as a 1350-byte one), libsodium's cost is the cipher's.
/// <list type="bullet">
/// <item>TLS_AES_256_GCM_SHA384: libsodium when it has hardware AES-GCM (about 0.25 µs for 48 bytes, 0.6 µs for
/// 1350, against 1.1-2 and 1.4 µs), otherwise the platform's <see cref="AesGcm"/>.</item>
/// <item>TLS_CHACHA20_POLY1305_SHA256: libsodium (about 0.6 / 1.6-2.0 µs against the platform's 1.3-2.4 / 2.0-2.9 µs),
/// which also makes the suite available where the OS library lacks it (macOS before 14, some Linux builds).</item>
/// <item>TLS_AES_128_GCM_SHA256: the platform's <see cref="AesGcm"/> (libsodium has no AES-128-GCM).</item>
/// </list>
/// </summary>
internal static class AeadBackends
{
    /// <summary>The backend <see cref="PacketKey"/> uses for <paramref name="suite"/> on this machine.</summary>
    public static AeadBackend Default(CipherSuite suite) => suite switch
    {
        CipherSuite.TLS_AES_256_GCM_SHA384 => HasSodiumAes256Gcm ? AeadBackend.SodiumAes256Gcm : AeadBackend.PlatformAesGcm,
        CipherSuite.TLS_CHACHA20_POLY1305_SHA256 => AeadBackend.SodiumChaCha20Poly1305,
        _ => AeadBackend.PlatformAesGcm,
    };

    /// <summary>
    /// True when libsodium runs AES-256-GCM in hardware (AES-NI with PCLMULQDQ on x86-64, the ARMv8 crypto
    /// extensions on arm64); it has no software fallback, so this is also whether the backend exists.
    /// </summary>
    public static bool HasSodiumAes256Gcm => NSec.Cryptography.Aes256Gcm.IsSupported;

    /// <summary>Whether <paramref name="backend"/> can run on this machine.</summary>
    public static bool IsAvailable(AeadBackend backend) => backend switch
    {
        AeadBackend.PlatformAesGcm => AesGcm.IsSupported,
        AeadBackend.PlatformChaCha20Poly1305 => ChaCha20Poly1305.IsSupported,
        AeadBackend.SodiumAes256Gcm => HasSodiumAes256Gcm,
        AeadBackend.SodiumChaCha20Poly1305 => true,
        _ => false,
    };

    /// <summary>Whether <paramref name="backend"/> implements the AEAD of <paramref name="suite"/>.</summary>
    public static bool Implements(AeadBackend backend, CipherSuite suite) => backend switch
    {
        AeadBackend.PlatformAesGcm => suite is CipherSuite.TLS_AES_128_GCM_SHA256 or CipherSuite.TLS_AES_256_GCM_SHA384,
        AeadBackend.PlatformChaCha20Poly1305 or AeadBackend.SodiumChaCha20Poly1305 => suite == CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        AeadBackend.SodiumAes256Gcm => suite == CipherSuite.TLS_AES_256_GCM_SHA384,
        _ => false,
    };
}
