using System.Text;
using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Tls.Messages;

/// <summary>
/// RFC 8446 section 4.4.3, Certificate Verify:
/// <code>
/// struct {
///     SignatureScheme algorithm;
///     opaque signature&lt;0..2^16-1&gt;;
/// } CertificateVerify;
/// </code>
/// The signature covers 64 spaces, a context string, a zero byte and the transcript hash up to and
/// including the Certificate message (<see cref="BuildSignedContent"/>).
/// </summary>
internal sealed class CertificateVerify : IHandshakeMessage
{
    private const string ServerContext = "TLS 1.3, server CertificateVerify";
    private const string ClientContext = "TLS 1.3, client CertificateVerify";

    public SignatureScheme Algorithm { get; init; }

    public byte[] Signature { get; init; } = [];

    public HandshakeType Type => HandshakeType.CertificateVerify;

    public int BodyLength => 2 + 2 + Signature.Length;

    public void WriteBody(ref SpanWriter writer)
    {
        writer.WriteUInt16((ushort)Algorithm);
        writer.WriteUInt16((ushort)Signature.Length);
        writer.WriteBytes(Signature);
    }

    public static bool TryParse(ReadOnlySpan<byte> body, out CertificateVerify? message)
    {
        message = null;
        var reader = new SpanReader(body);
        if (!reader.TryReadUInt16(out ushort algorithm)) return false;
        if (!reader.TryReadUInt16LengthPrefixed(out ReadOnlySpan<byte> signature) || !reader.IsEmpty) return false;
        message = new CertificateVerify { Algorithm = (SignatureScheme)algorithm, Signature = signature.ToArray() };
        return true;
    }

    /// <summary>
    /// The content that is signed (RFC 8446 section 4.4.3):
    /// <code>
    /// -  A string that consists of octet 32 (0x20) repeated 64 times
    /// -  The context string ("TLS 1.3, server CertificateVerify" or "TLS 1.3, client CertificateVerify")
    /// -  A single 0 byte which serves as the separator
    /// -  The content to be signed (Transcript-Hash(Handshake Context, Certificate))
    /// </code>
    /// </summary>
    public static byte[] BuildSignedContent(bool server, ReadOnlySpan<byte> transcriptHash)
    {
        string context = server ? ServerContext : ClientContext;
        byte[] content = new byte[64 + context.Length + 1 + transcriptHash.Length];
        content.AsSpan(0, 64).Fill(0x20);
        Encoding.ASCII.GetBytes(context, content.AsSpan(64));
        content[64 + context.Length] = 0;
        transcriptHash.CopyTo(content.AsSpan(64 + context.Length + 1));
        return content;
    }
}
