using System.Formats.Asn1;
using System.Security.Cryptography;

namespace AwgProxy.Quic.Tls.Certificates;

/// <summary>
/// Minimal self-signed X.509 v3 certificates for Ed25519 identities (RFC 5280 with RFC 8410), built
/// with <see cref="AsnWriter"/> because .NET's CertificateRequest cannot sign with Ed25519, and the
/// reverse: the raw Ed25519 public key of a certificate, for pin comparison.
/// <code>
/// Certificate ::= SEQUENCE {
///   tbsCertificate SEQUENCE {
///     version [0] EXPLICIT INTEGER 2 (v3),
///     serialNumber INTEGER (16 bytes derived from the public key),
///     signature AlgorithmIdentifier { id-Ed25519 },
///     issuer Name { CN=commonName },
///     validity { notBefore, notAfter },
///     subject Name { CN=commonName },
///     subjectPublicKeyInfo { { id-Ed25519 }, BIT STRING publicKey },
///     extensions [3] EXPLICIT {
///       basicConstraints (critical) { cA FALSE },
///       keyUsage (critical) { digitalSignature },
///       subjectAltName { dNSName } -- only when a DNS name is given
///     } },
///   signatureAlgorithm AlgorithmIdentifier { id-Ed25519 },
///   signatureValue BIT STRING (Ed25519 over the DER tbsCertificate) }
/// </code>
/// The output is deterministic for a given key and arguments (Ed25519 signatures are deterministic).
/// </summary>
public static class Ed25519Certificate
{
    private const string CommonNameOid = "2.5.4.3";
    private const string BasicConstraintsOid = "2.5.29.19";
    private const string KeyUsageOid = "2.5.29.15";
    private const string SubjectAltNameOid = "2.5.29.17";

    /// <summary>Default notBefore: 2000-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultNotBefore = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Default notAfter: 9999-12-31T23:59:59Z, RFC 5280's "no well-defined expiration date".</summary>
    public static readonly DateTimeOffset DefaultNotAfter = new(9999, 12, 31, 23, 59, 59, TimeSpan.Zero);

    /// <summary>Builds a self-signed certificate (DER) for <paramref name="key"/>.</summary>
    /// <param name="key">The identity that is both subject and signer.</param>
    /// <param name="commonName">Subject and issuer CN.</param>
    /// <param name="dnsName">Optional subjectAltName dNSName, for host-name checks.</param>
    /// <param name="notBefore">Validity start (default <see cref="DefaultNotBefore"/>); the core has no clock.</param>
    /// <param name="notAfter">Validity end (default <see cref="DefaultNotAfter"/>).</param>
    public static byte[] CreateSelfSigned(Ed25519KeyPair key, string commonName = "awgproxy", string? dnsName = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(commonName);
        DateTimeOffset from = notBefore ?? DefaultNotBefore;
        DateTimeOffset to = notAfter ?? DefaultNotAfter;
        if (to < from) throw new ArgumentException("notAfter precedes notBefore.", nameof(notAfter));

        byte[] publicKey = key.PublicKey;
        byte[] serial = SHA256.HashData(publicKey).AsSpan(0, 16).ToArray();
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40); // positive, minimal, never zero

        var tbs = new AsnWriter(AsnEncodingRules.DER);
        using (tbs.PushSequence())
        {
            using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                tbs.WriteInteger(2);
            }

            tbs.WriteInteger(serial);
            WriteEd25519AlgorithmIdentifier(tbs);
            WriteName(tbs, commonName);
            using (tbs.PushSequence())
            {
                WriteTime(tbs, from);
                WriteTime(tbs, to);
            }

            WriteName(tbs, commonName);
            tbs.WriteEncodedValue(X509Der.EncodeEd25519SubjectPublicKeyInfo(publicKey));
            using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true)))
            using (tbs.PushSequence())
            {
                var basicConstraints = new AsnWriter(AsnEncodingRules.DER);
                basicConstraints.PushSequence().Dispose();
                WriteExtension(tbs, BasicConstraintsOid, critical: true, basicConstraints.Encode());

                var keyUsage = new AsnWriter(AsnEncodingRules.DER);
                keyUsage.WriteBitString([0x80], unusedBitCount: 7); // digitalSignature (bit 0)
                WriteExtension(tbs, KeyUsageOid, critical: true, keyUsage.Encode());

                if (dnsName is not null)
                {
                    var subjectAltName = new AsnWriter(AsnEncodingRules.DER);
                    using (subjectAltName.PushSequence())
                    {
                        subjectAltName.WriteCharacterString(UniversalTagNumber.IA5String, dnsName, new Asn1Tag(TagClass.ContextSpecific, 2));
                    }

                    WriteExtension(tbs, SubjectAltNameOid, critical: false, subjectAltName.Encode());
                }
            }
        }

        byte[] tbsBytes = tbs.Encode();
        byte[] signature = key.Sign(tbsBytes);

        var certificate = new AsnWriter(AsnEncodingRules.DER);
        using (certificate.PushSequence())
        {
            certificate.WriteEncodedValue(tbsBytes);
            WriteEd25519AlgorithmIdentifier(certificate);
            certificate.WriteBitString(signature);
        }

        return certificate.Encode();
    }

    /// <summary>
    /// The raw 32-byte Ed25519 public key in a certificate's SubjectPublicKeyInfo (OID 1.3.101.112).
    /// Returns false for malformed DER or any other key type.
    /// </summary>
    public static bool TryGetPublicKey(ReadOnlySpan<byte> certificate, out byte[] publicKey)
    {
        publicKey = [];
        if (!X509Der.TryReadSubjectPublicKeyInfo(certificate.ToArray(), out byte[] spki)) return false;
        if (!X509Der.TryParseSubjectPublicKeyInfo(spki, out TlsPublicKeyType type, out byte[] key) || type != TlsPublicKeyType.Ed25519) return false;
        publicKey = key;
        return true;
    }

    private static void WriteEd25519AlgorithmIdentifier(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(X509Der.Ed25519Oid);
        }
    }

    private static void WriteName(AsnWriter writer, string commonName)
    {
        using (writer.PushSequence())
        using (writer.PushSetOf())
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(CommonNameOid);
            writer.WriteCharacterString(UniversalTagNumber.UTF8String, commonName);
        }
    }

    /// <summary>RFC 5280 section 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.</summary>
    private static void WriteTime(AsnWriter writer, DateTimeOffset time)
    {
        DateTimeOffset utc = time.ToUniversalTime();
        utc = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, utc.Second, TimeSpan.Zero);
        if (utc.Year is >= 1950 and < 2050) writer.WriteUtcTime(utc);
        else writer.WriteGeneralizedTime(utc, omitFractionalSeconds: true);
    }

    private static void WriteExtension(AsnWriter writer, string oid, bool critical, byte[] value)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (critical) writer.WriteBoolean(true);
            writer.WriteOctetString(value);
        }
    }
}
