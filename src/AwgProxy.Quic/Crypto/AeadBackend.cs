namespace AwgProxy.Quic.Crypto;

/// <summary>
/// The library that seals and opens packets for a cipher suite (<see cref="PacketKey"/>). Both kinds come from
/// what <c>architecture.md</c> allows: <c>System.Security.Cryptography</c> (OpenSSL on Linux), or libsodium
/// through NSec.Cryptography, which the core already uses for X25519 and Ed25519. They produce identical
/// ciphertexts; they differ in cost per call (see <see cref="AeadBackends"/> and docs/quic.md, Performance).
/// </summary>
public enum AeadBackend
{
    /// <summary><see cref="System.Security.Cryptography.AesGcm"/>: AES-128-GCM and AES-256-GCM.</summary>
    PlatformAesGcm,

    /// <summary><see cref="System.Security.Cryptography.ChaCha20Poly1305"/>, where the OS library has it.</summary>
    PlatformChaCha20Poly1305,

    /// <summary>libsodium's AES-256-GCM (<see cref="NSec.Cryptography.Aes256Gcm"/>): only on CPUs with AES and carry-less multiply instructions.</summary>
    SodiumAes256Gcm,

    /// <summary>libsodium's ChaCha20-Poly1305 (<see cref="NSec.Cryptography.ChaCha20Poly1305"/>, RFC 8439 construction): portable, available everywhere.</summary>
    SodiumChaCha20Poly1305,
}
