using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Tls.Extensions;

/// <summary>
/// RFC 8446 section 4.2.3, Signature Algorithms (the same body in ClientHello and CertificateRequest):
/// <code>
/// struct {
///     SignatureScheme supported_signature_algorithms&lt;2..2^16-2&gt;;
/// } SignatureSchemeList;
/// </code>
/// </summary>
internal static class SignatureAlgorithmsExtension
{
    public static byte[] Encode(IReadOnlyList<SignatureScheme> schemes)
    {
        if (schemes.Count == 0) throw new ArgumentException("At least one scheme.", nameof(schemes));
        byte[] data = new byte[2 + 2 * schemes.Count];
        var writer = new SpanWriter(data);
        writer.WriteUInt16((ushort)(2 * schemes.Count));
        foreach (SignatureScheme scheme in schemes) writer.WriteUInt16((ushort)scheme);
        return data;
    }

    public static bool TryParse(ReadOnlySpan<byte> data, out SignatureScheme[] schemes)
    {
        schemes = [];
        var reader = new SpanReader(data);
        if (!reader.TryReadUInt16LengthPrefixed(out ReadOnlySpan<byte> list) || !reader.IsEmpty) return false;
        if (list.Length < 2 || list.Length % 2 != 0) return false;

        schemes = new SignatureScheme[list.Length / 2];
        var entries = new SpanReader(list);
        for (int i = 0; i < schemes.Length; i++)
        {
            entries.TryReadUInt16(out ushort scheme);
            schemes[i] = (SignatureScheme)scheme;
        }

        return true;
    }
}
