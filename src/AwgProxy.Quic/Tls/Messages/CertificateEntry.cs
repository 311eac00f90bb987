using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Tls.Extensions;

namespace AwgProxy.Quic.Tls.Messages;

/// <summary>
/// RFC 8446 section 4.4.2, one certificate of a Certificate message (X.509 only; raw public keys are
/// not negotiated, so certificate_type is always X509):
/// <code>
/// struct {
///     select (certificate_type) {
///         case RawPublicKey:
///           /* From RFC 7250 ASN.1_subjectPublicKeyInfo */
///           opaque ASN1_subjectPublicKeyInfo&lt;1..2^24-1&gt;;
///
///         case X509:
///           opaque cert_data&lt;1..2^24-1&gt;;
///     };
///     Extension extensions&lt;0..2^16-1&gt;;
/// } CertificateEntry;
/// </code>
/// </summary>
internal sealed record CertificateEntry(byte[] CertData, List<TlsExtension> Extensions)
{
    public CertificateEntry(byte[] certData)
        : this(certData, [])
    {
    }

    public int Length => 3 + CertData.Length + ExtensionBlock.GetLength(Extensions);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteUInt24(CertData.Length);
        writer.WriteBytes(CertData);
        ExtensionBlock.Write(ref writer, Extensions);
    }

    /// <summary>Reads one entry; <paramref name="hasDuplicates"/> reports a repeated extension type.</summary>
    public static bool TryRead(ref SpanReader reader, out CertificateEntry? entry, out bool hasDuplicates)
    {
        entry = null;
        hasDuplicates = false;
        SpanReader attempt = reader;
        if (!attempt.TryReadUInt24LengthPrefixed(out ReadOnlySpan<byte> certData) || certData.IsEmpty) return false;
        if (!ExtensionBlock.TryRead(ref attempt, out List<TlsExtension> extensions, out hasDuplicates)) return false;
        entry = new CertificateEntry(certData.ToArray(), extensions);
        reader = attempt;
        return true;
    }
}
