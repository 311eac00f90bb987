using System.Formats.Asn1;
using System.Security.Cryptography;
using AwgProxy.Quic.Tls.KeyExchange;

namespace AwgProxy.Quic.Tls.Certificates;

/// <summary>
/// The little of RFC 5280 this stack reads itself (X509Certificate2 does not expose Ed25519 keys):
/// <code>
/// Certificate  ::=  SEQUENCE  {
///      tbsCertificate       TBSCertificate,
///      signatureAlgorithm   AlgorithmIdentifier,
///      signatureValue       BIT STRING  }
///
/// TBSCertificate  ::=  SEQUENCE  {
///      version         [0]  EXPLICIT Version DEFAULT v1,
///      serialNumber         CertificateSerialNumber,
///      signature            AlgorithmIdentifier,
///      issuer               Name,
///      validity             Validity,
///      subject              Name,
///      subjectPublicKeyInfo SubjectPublicKeyInfo,
///      ... }
///
/// SubjectPublicKeyInfo  ::=  SEQUENCE  {
///      algorithm            AlgorithmIdentifier,
///      subjectPublicKey     BIT STRING  }
///
/// AlgorithmIdentifier  ::=  SEQUENCE  {
///      algorithm               OBJECT IDENTIFIER,
///      parameters              ANY DEFINED BY algorithm OPTIONAL  }
/// </code>
/// Every reader here returns false on malformed DER and never throws.
/// </summary>
internal static class X509Der
{
    /// <summary>id-ecPublicKey (RFC 5480).</summary>
    public const string EcPublicKeyOid = "1.2.840.10045.2.1";

    /// <summary>secp256r1 (RFC 5480).</summary>
    public const string Secp256r1Oid = "1.2.840.10045.3.1.7";

    /// <summary>rsaEncryption (RFC 8017).</summary>
    public const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

    /// <summary>id-Ed25519 (RFC 8410).</summary>
    public const string Ed25519Oid = "1.3.101.112";

    /// <summary>Smallest RSA modulus accepted from a peer.</summary>
    public const int MinimumRsaKeySize = 2048;

    private static readonly Asn1Tag ExplicitVersionTag = new(TagClass.ContextSpecific, 0, isConstructed: true);

    /// <summary>Extracts the DER SubjectPublicKeyInfo of an X.509 certificate.</summary>
    public static bool TryReadSubjectPublicKeyInfo(ReadOnlyMemory<byte> certificate, out byte[] subjectPublicKeyInfo)
    {
        subjectPublicKeyInfo = [];
        try
        {
            var outer = new AsnReader(certificate, AsnEncodingRules.DER);
            AsnReader certificateSequence = outer.ReadSequence();
            outer.ThrowIfNotEmpty();

            AsnReader tbs = certificateSequence.ReadSequence();
            certificateSequence.ReadSequence(); // signatureAlgorithm
            certificateSequence.ReadBitString(out _); // signatureValue
            certificateSequence.ThrowIfNotEmpty();

            if (tbs.PeekTag().HasSameClassAndValue(ExplicitVersionTag)) tbs.ReadEncodedValue();
            tbs.ReadIntegerBytes(); // serialNumber
            tbs.ReadSequence(); // signature
            tbs.ReadSequence(); // issuer
            tbs.ReadSequence(); // validity
            tbs.ReadSequence(); // subject
            ReadOnlyMemory<byte> spki = tbs.ReadEncodedValue();
            subjectPublicKeyInfo = spki.ToArray();
            return true;
        }
        catch (AsnContentException)
        {
            return false;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>
    /// Classifies a SubjectPublicKeyInfo. <paramref name="rawKey"/> is the subjectPublicKey bits: the
    /// uncompressed point for P-256, the RSAPublicKey for RSA, the 32-byte key for Ed25519. Fails for
    /// other algorithms and curves, invalid points, and RSA keys under <see cref="MinimumRsaKeySize"/> bits.
    /// </summary>
    public static bool TryParseSubjectPublicKeyInfo(ReadOnlyMemory<byte> subjectPublicKeyInfo, out TlsPublicKeyType type, out byte[] rawKey)
    {
        type = default;
        rawKey = [];
        try
        {
            var outer = new AsnReader(subjectPublicKeyInfo, AsnEncodingRules.DER);
            AsnReader spki = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            AsnReader algorithm = spki.ReadSequence();
            string oid = algorithm.ReadObjectIdentifier();
            byte[] key = spki.ReadBitString(out int unusedBits);
            spki.ThrowIfNotEmpty();
            if (unusedBits != 0) return false;

            switch (oid)
            {
                case EcPublicKeyOid:
                    if (algorithm.ReadObjectIdentifier() != Secp256r1Oid) return false;
                    algorithm.ThrowIfNotEmpty();
                    if (!Secp256r1KeyExchange.IsValidPoint(key)) return false;
                    type = TlsPublicKeyType.EcdsaP256;
                    break;
                case RsaEncryptionOid:
                    algorithm.ReadNull();
                    algorithm.ThrowIfNotEmpty();
                    using (var rsa = RSA.Create())
                    {
                        rsa.ImportRSAPublicKey(key, out int read);
                        if (read != key.Length || rsa.KeySize < MinimumRsaKeySize) return false;
                    }

                    type = TlsPublicKeyType.Rsa;
                    break;
                case Ed25519Oid:
                    algorithm.ThrowIfNotEmpty();
                    if (key.Length != 32) return false;
                    type = TlsPublicKeyType.Ed25519;
                    break;
                default:
                    return false;
            }

            rawKey = key;
            return true;
        }
        catch (AsnContentException)
        {
            return false;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The DER SubjectPublicKeyInfo of a raw Ed25519 public key (RFC 8410 section 4).</summary>
    public static byte[] EncodeEd25519SubjectPublicKeyInfo(ReadOnlySpan<byte> publicKey)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Ed25519Oid);
            }

            writer.WriteBitString(publicKey);
        }

        return writer.Encode();
    }
}
