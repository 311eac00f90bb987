using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Tls.Messages;

/// <summary>
/// RFC 8446 section 4.4.2, Certificate:
/// <code>
/// struct {
///     opaque certificate_request_context&lt;0..2^8-1&gt;;
///     CertificateEntry certificate_list&lt;0..2^24-1&gt;;
/// } Certificate;
/// </code>
/// The first entry is the end-entity (leaf) certificate. An empty list is how a client declines a
/// CertificateRequest; a server must never send one (decode_error, RFC 8446 section 4.4.2.4).
/// </summary>
internal sealed class Certificate : IHandshakeMessage
{
    public byte[] CertificateRequestContext { get; init; } = [];

    public List<CertificateEntry> CertificateList { get; init; } = [];

    /// <summary>Set by <see cref="TryParse"/> when an entry repeats an extension type (illegal_parameter).</summary>
    public bool HasDuplicateExtensions { get; private init; }

    public HandshakeType Type => HandshakeType.Certificate;

    private int ListLength
    {
        get
        {
            int length = 0;
            foreach (CertificateEntry entry in CertificateList) length += entry.Length;
            return length;
        }
    }

    public int BodyLength => 1 + CertificateRequestContext.Length + 3 + ListLength;

    public void WriteBody(ref SpanWriter writer)
    {
        writer.WriteByte((byte)CertificateRequestContext.Length);
        writer.WriteBytes(CertificateRequestContext);
        writer.WriteUInt24(ListLength);
        foreach (CertificateEntry entry in CertificateList) entry.Write(ref writer);
    }

    public static bool TryParse(ReadOnlySpan<byte> body, out Certificate? message)
    {
        message = null;
        var reader = new SpanReader(body);
        if (!reader.TryReadUInt8LengthPrefixed(out ReadOnlySpan<byte> context)) return false;
        if (!reader.TryReadUInt24LengthPrefixed(out ReadOnlySpan<byte> list) || !reader.IsEmpty) return false;

        List<CertificateEntry> entries = [];
        bool duplicates = false;
        var entryReader = new SpanReader(list);
        while (!entryReader.IsEmpty)
        {
            if (!CertificateEntry.TryRead(ref entryReader, out CertificateEntry? entry, out bool entryDuplicates)) return false;
            duplicates |= entryDuplicates;
            entries.Add(entry!);
        }

        message = new Certificate
        {
            CertificateRequestContext = context.ToArray(),
            CertificateList = entries,
            HasDuplicateExtensions = duplicates,
        };
        return true;
    }
}
