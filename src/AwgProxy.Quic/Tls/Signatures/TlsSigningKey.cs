using System.Security.Cryptography;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Quic.Tls.Signatures;

/// <summary>
/// The private key a <see cref="TlsCertificateCredential"/> signs CertificateVerify messages with:
/// ECDSA P-256 (ecdsa_secp256r1_sha256), RSA of at least 2048 bits (rsa_pss_rsae_sha256/384/512) or
/// Ed25519 (ed25519). The wrapped key stays owned by the caller.
/// </summary>
public abstract class TlsSigningKey
{
    private protected TlsSigningKey()
    {
    }

    public abstract TlsPublicKeyType KeyType { get; }

    /// <summary>The schemes this key can sign with, in preference order.</summary>
    internal abstract IReadOnlyList<SignatureScheme> Schemes { get; }

    /// <summary>An ECDSA key on P-256.</summary>
    public static TlsSigningKey FromEcdsa(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ECParameters parameters = key.ExportParameters(includePrivateParameters: false);
        if (!parameters.Curve.IsNamed || parameters.Curve.Oid.Value != X509Der.Secp256r1Oid)
        {
            throw new ArgumentException("Only ECDSA keys on secp256r1 (P-256) are supported.", nameof(key));
        }

        return new EcdsaP256SigningKey(key);
    }

    /// <summary>An RSA key of at least 2048 bits (signs with RSASSA-PSS).</summary>
    public static TlsSigningKey FromRsa(RSA key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.KeySize < X509Der.MinimumRsaKeySize) throw new ArgumentException($"RSA keys must have at least {X509Der.MinimumRsaKeySize} bits.", nameof(key));
        return new RsaPssSigningKey(key);
    }

    /// <summary>An Ed25519 identity.</summary>
    public static TlsSigningKey FromEd25519(Ed25519KeyPair key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new Ed25519SigningKey(key);
    }

    /// <summary>The first of this key's schemes that the peer offered, or null.</summary>
    internal SignatureScheme? SelectScheme(IReadOnlyCollection<SignatureScheme> peerSchemes)
    {
        foreach (SignatureScheme scheme in Schemes)
        {
            if (peerSchemes.Contains(scheme)) return scheme;
        }

        return null;
    }

    internal abstract byte[] Sign(SignatureScheme scheme, ReadOnlySpan<byte> content);

    /// <summary>Whether this key's public half is the one in <paramref name="subjectPublicKeyInfo"/>.</summary>
    internal abstract bool MatchesSubjectPublicKeyInfo(ReadOnlySpan<byte> subjectPublicKeyInfo);
}
