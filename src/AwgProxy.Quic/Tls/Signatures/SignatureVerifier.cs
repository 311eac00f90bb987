using System.Security.Cryptography;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Quic.Tls.Signatures;

/// <summary>Verifies a CertificateVerify signature with the public key of the peer's leaf certificate.</summary>
internal static class SignatureVerifier
{
    /// <summary>
    /// Whether <paramref name="signature"/> is a valid <paramref name="scheme"/> signature of
    /// <paramref name="content"/> by the key in <paramref name="subjectPublicKeyInfo"/>. Never throws on
    /// malformed keys or signatures; the caller has already checked that the scheme fits the key type.
    /// </summary>
    public static bool Verify(SignatureScheme scheme, ReadOnlySpan<byte> subjectPublicKeyInfo, ReadOnlySpan<byte> content, ReadOnlySpan<byte> signature)
    {
        try
        {
            switch (scheme)
            {
                case SignatureScheme.EcdsaSecp256r1Sha256:
                {
                    using var ecdsa = ECDsa.Create();
                    ecdsa.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
                    return ecdsa.VerifyData(content, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
                }

                case SignatureScheme.RsaPssRsaeSha256 or SignatureScheme.RsaPssRsaeSha384 or SignatureScheme.RsaPssRsaeSha512:
                {
                    using var rsa = RSA.Create();
                    rsa.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
                    return rsa.VerifyData(content, signature, SignatureSchemes.Hash(scheme), RSASignaturePadding.Pss);
                }

                case SignatureScheme.Ed25519:
                    return X509Der.TryParseSubjectPublicKeyInfo(subjectPublicKeyInfo.ToArray(), out TlsPublicKeyType type, out byte[] raw)
                        && type == TlsPublicKeyType.Ed25519
                        && Ed25519KeyPair.Verify(raw, content, signature);

                default:
                    return false;
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
