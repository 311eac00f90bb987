using System.Security.Cryptography;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Quic.Tls.Signatures;

/// <summary>Facts about <see cref="SignatureScheme"/> values (RFC 8446 section 4.2.3).</summary>
internal static class SignatureSchemes
{
    /// <summary>
    /// What this stack advertises in "signature_algorithms" (ClientHello and CertificateRequest): the
    /// CertificateVerify schemes it implements, then the RSASSA-PKCS1-v1_5 ones for certificate chains.
    /// </summary>
    public static readonly SignatureScheme[] Advertised =
    [
        SignatureScheme.EcdsaSecp256r1Sha256,
        SignatureScheme.Ed25519,
        SignatureScheme.RsaPssRsaeSha256,
        SignatureScheme.RsaPssRsaeSha384,
        SignatureScheme.RsaPssRsaeSha512,
        SignatureScheme.RsaPkcs1Sha256,
        SignatureScheme.RsaPkcs1Sha384,
        SignatureScheme.RsaPkcs1Sha512,
    ];

    /// <summary>Whether a CertificateVerify may use <paramref name="scheme"/> here.</summary>
    public static bool IsCertificateVerifyScheme(SignatureScheme scheme) => scheme is SignatureScheme.EcdsaSecp256r1Sha256
        or SignatureScheme.RsaPssRsaeSha256 or SignatureScheme.RsaPssRsaeSha384 or SignatureScheme.RsaPssRsaeSha512
        or SignatureScheme.Ed25519;

    /// <summary>Whether <paramref name="scheme"/> signs with a key of <paramref name="keyType"/>.</summary>
    public static bool Matches(SignatureScheme scheme, TlsPublicKeyType keyType) => (scheme, keyType) switch
    {
        (SignatureScheme.EcdsaSecp256r1Sha256, TlsPublicKeyType.EcdsaP256) => true,
        (SignatureScheme.RsaPssRsaeSha256 or SignatureScheme.RsaPssRsaeSha384 or SignatureScheme.RsaPssRsaeSha512, TlsPublicKeyType.Rsa) => true,
        (SignatureScheme.Ed25519, TlsPublicKeyType.Ed25519) => true,
        _ => false,
    };

    /// <summary>The hash of an ECDSA or RSA-PSS scheme (Ed25519 hashes internally).</summary>
    public static HashAlgorithmName Hash(SignatureScheme scheme) => scheme switch
    {
        SignatureScheme.RsaPssRsaeSha384 => HashAlgorithmName.SHA384,
        SignatureScheme.RsaPssRsaeSha512 => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };
}
