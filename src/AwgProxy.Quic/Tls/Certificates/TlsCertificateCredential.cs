using System.Formats.Asn1;
using System.Security.Cryptography;
using AwgProxy.Quic.Tls.Signatures;

namespace AwgProxy.Quic.Tls.Certificates;

/// <summary>
/// A certificate chain (DER, leaf first) and the private key of its leaf: what a server always, and a
/// client on request, authenticates with. The constructor checks that the key belongs to the leaf.
/// </summary>
public sealed class TlsCertificateCredential
{
    public TlsCertificateCredential(IReadOnlyList<byte[]> certificateChain, TlsSigningKey key)
    {
        ArgumentNullException.ThrowIfNull(certificateChain);
        ArgumentNullException.ThrowIfNull(key);
        if (certificateChain.Count == 0) throw new ArgumentException("The chain needs at least the leaf certificate.", nameof(certificateChain));
        foreach (byte[] certificate in certificateChain)
        {
            if (certificate is null || certificate.Length is 0 or > 0xFF_FFFF) throw new ArgumentException("Certificate length out of range.", nameof(certificateChain));
        }

        if (!X509Der.TryReadSubjectPublicKeyInfo(certificateChain[0], out byte[] spki)
            || !X509Der.TryParseSubjectPublicKeyInfo(spki, out TlsPublicKeyType type, out _))
        {
            throw new ArgumentException("The leaf is not an X.509 certificate with an ECDSA P-256, RSA (>= 2048 bits) or Ed25519 key.", nameof(certificateChain));
        }

        if (type != key.KeyType || !key.MatchesSubjectPublicKeyInfo(spki))
        {
            throw new ArgumentException("The private key does not belong to the leaf certificate.", nameof(key));
        }

        CertificateChain = [.. certificateChain];
        Key = key;
    }

    /// <summary>DER certificates, leaf first.</summary>
    public IReadOnlyList<byte[]> CertificateChain { get; }

    public TlsSigningKey Key { get; }

    /// <summary>A credential made of a fresh self-signed certificate for an Ed25519 identity (see <see cref="Ed25519Certificate"/>).</summary>
    public static TlsCertificateCredential FromEd25519(Ed25519KeyPair key, string commonName = "awgproxy", string? dnsName = null)
        => new([Ed25519Certificate.CreateSelfSigned(key, commonName, dnsName)], TlsSigningKey.FromEd25519(key));

    /// <summary>
    /// Reads PEM text: one or more "CERTIFICATE" blocks (leaf first) and one private key block
    /// ("PRIVATE KEY" PKCS#8 with an EC P-256, RSA or Ed25519 key, "EC PRIVATE KEY" or "RSA PRIVATE KEY").
    /// </summary>
    public static TlsCertificateCredential FromPem(string certificatePem, string privateKeyPem)
    {
        ArgumentNullException.ThrowIfNull(certificatePem);
        ArgumentNullException.ThrowIfNull(privateKeyPem);
        List<byte[]> chain = [];
        ReadOnlySpan<char> rest = certificatePem;
        while (PemEncoding.TryFind(rest, out PemFields fields))
        {
            if (rest[fields.Label].SequenceEqual("CERTIFICATE")) chain.Add(Convert.FromBase64String(rest[fields.Base64Data].ToString()));
            rest = rest[fields.Location.End..];
        }

        if (chain.Count == 0) throw new ArgumentException("No CERTIFICATE block found.", nameof(certificatePem));
        return new TlsCertificateCredential(chain, ReadPrivateKey(privateKeyPem));
    }

    private static TlsSigningKey ReadPrivateKey(string pem)
    {
        if (!PemEncoding.TryFind(pem, out PemFields fields)) throw new ArgumentException("No PEM block found.", nameof(pem));
        string label = pem[fields.Label];
        byte[] der = Convert.FromBase64String(pem[fields.Base64Data]);
        switch (label)
        {
            case "EC PRIVATE KEY":
            {
                var ecdsa = ECDsa.Create();
                ecdsa.ImportECPrivateKey(der, out _);
                return TlsSigningKey.FromEcdsa(ecdsa);
            }

            case "RSA PRIVATE KEY":
            {
                var rsa = RSA.Create();
                rsa.ImportRSAPrivateKey(der, out _);
                return TlsSigningKey.FromRsa(rsa);
            }

            case "PRIVATE KEY":
                return ReadPkcs8(der);

            default:
                throw new ArgumentException($"Unsupported PEM label '{label}'.", nameof(pem));
        }
    }

    /// <summary>
    /// PKCS#8 (RFC 5208 / RFC 8410):
    /// <code>
    /// PrivateKeyInfo ::= SEQUENCE { version INTEGER, privateKeyAlgorithm AlgorithmIdentifier, privateKey OCTET STRING, ... }
    /// CurvePrivateKey ::= OCTET STRING   -- the Ed25519 privateKey contents
    /// </code>
    /// </summary>
    private static TlsSigningKey ReadPkcs8(byte[] der)
    {
        var reader = new AsnReader(der, AsnEncodingRules.BER);
        AsnReader info = reader.ReadSequence();
        info.ReadInteger();
        AsnReader algorithm = info.ReadSequence();
        string oid = algorithm.ReadObjectIdentifier();
        switch (oid)
        {
            case X509Der.EcPublicKeyOid:
            {
                var ecdsa = ECDsa.Create();
                ecdsa.ImportPkcs8PrivateKey(der, out _);
                return TlsSigningKey.FromEcdsa(ecdsa);
            }

            case X509Der.RsaEncryptionOid:
            {
                var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(der, out _);
                return TlsSigningKey.FromRsa(rsa);
            }

            case X509Der.Ed25519Oid:
            {
                byte[] privateKey = info.ReadOctetString();
                byte[] seed = new AsnReader(privateKey, AsnEncodingRules.BER).ReadOctetString();
                var pair = Ed25519KeyPair.FromPrivateKey(seed);
                CryptographicOperations.ZeroMemory(seed);
                return TlsSigningKey.FromEd25519(pair);
            }

            default:
                throw new ArgumentException($"Unsupported private key algorithm {oid}.", nameof(der));
        }
    }
}
