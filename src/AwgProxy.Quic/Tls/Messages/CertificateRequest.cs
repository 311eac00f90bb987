using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Tls.Extensions;

namespace AwgProxy.Quic.Tls.Messages;

/// <summary>
/// RFC 8446 section 4.3.2, Certificate Request:
/// <code>
/// struct {
///     opaque certificate_request_context&lt;0..2^8-1&gt;;
///     Extension extensions&lt;2..2^16-1&gt;;
/// } CertificateRequest;
/// </code>
/// During the handshake the context is empty; the "signature_algorithms" extension is mandatory.
/// </summary>
internal sealed class CertificateRequest : IHandshakeMessage
{
    public byte[] CertificateRequestContext { get; init; } = [];

    public List<TlsExtension> Extensions { get; init; } = [];

    /// <summary>Set by <see cref="TryParse"/> when an extension type appears twice (illegal_parameter).</summary>
    public bool HasDuplicateExtensions { get; private init; }

    public HandshakeType Type => HandshakeType.CertificateRequest;

    public int BodyLength => 1 + CertificateRequestContext.Length + ExtensionBlock.GetLength(Extensions);

    public byte[]? FindExtension(ExtensionType type) => ExtensionBlock.Find(Extensions, type);

    public void WriteBody(ref SpanWriter writer)
    {
        writer.WriteByte((byte)CertificateRequestContext.Length);
        writer.WriteBytes(CertificateRequestContext);
        ExtensionBlock.Write(ref writer, Extensions);
    }

    public static bool TryParse(ReadOnlySpan<byte> body, out CertificateRequest? message)
    {
        message = null;
        var reader = new SpanReader(body);
        if (!reader.TryReadUInt8LengthPrefixed(out ReadOnlySpan<byte> context)) return false;
        if (!ExtensionBlock.TryRead(ref reader, out List<TlsExtension> extensions, out bool duplicates) || !reader.IsEmpty) return false;
        message = new CertificateRequest
        {
            CertificateRequestContext = context.ToArray(),
            Extensions = extensions,
            HasDuplicateExtensions = duplicates,
        };
        return true;
    }
}
