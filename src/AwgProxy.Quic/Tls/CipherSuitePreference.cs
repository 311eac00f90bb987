using System.Collections.ObjectModel;
using AwgProxy.Quic.Crypto;
using ArmAes = System.Runtime.Intrinsics.Arm.Aes;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;
using X86Pclmulqdq = System.Runtime.Intrinsics.X86.Pclmulqdq;

namespace AwgProxy.Quic.Tls;

/// <summary>
/// The default cipher-suite order of <see cref="TlsSessionOptions.CipherSuites"/>: the suite this machine protects
/// packets fastest with first (see <see cref="AeadBackends"/> and docs/quic.md, Performance). A client offers the
/// suites in this order; a server picks the first of its list the client offers (TLS 1.3 leaves the choice to the
/// server, RFC 8446 section 4.1.1), so two AwgProxy endpoints agree on the fastest suite both have.
/// <list type="bullet">
/// <item>libsodium runs AES-256-GCM in hardware: TLS_AES_256_GCM_SHA384 first (about 4× cheaper per packet than
/// the platform's AES-GCM, whose cost is mostly the call).</item>
/// <item>no AES instructions at all: TLS_CHACHA20_POLY1305_SHA256 first (OpenSSL's constant-time software AES is
/// several times slower than ChaCha20, and libsodium's ChaCha20-Poly1305 is cheaper per call than any platform AEAD).</item>
/// <item>otherwise (AES instructions libsodium does not use): TLS_AES_128_GCM_SHA256 first, which costs about what
/// libsodium's ChaCha20-Poly1305 does for a full packet and has the cheaper header protection.</item>
/// </list>
/// The suites after the first keep the order AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305. Suites set explicitly
/// in the options are used as given.
/// </summary>
public static class CipherSuitePreference
{
    /// <summary>The order for this machine, computed once.</summary>
    public static IReadOnlyList<CipherSuite> Default { get; } =
        new ReadOnlyCollection<CipherSuite>(Order(AeadBackends.HasSodiumAes256Gcm, HasAesInstructions));

    /// <summary>Whether the CPU has AES and carry-less multiply instructions the runtime (and so OpenSSL) can use.</summary>
    internal static bool HasAesInstructions => (X86Aes.IsSupported && X86Pclmulqdq.IsSupported) || ArmAes.IsSupported;

    /// <summary>The rule above, for any machine (tests).</summary>
    internal static CipherSuite[] Order(bool sodiumAes256Gcm, bool aesInstructions)
    {
        CipherSuite first =
            sodiumAes256Gcm ? CipherSuite.TLS_AES_256_GCM_SHA384
            : !aesInstructions ? CipherSuite.TLS_CHACHA20_POLY1305_SHA256
            : CipherSuite.TLS_AES_128_GCM_SHA256;
        CipherSuite[] rest = [CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256];
        return [first, .. rest.Where(s => s != first)];
    }
}
