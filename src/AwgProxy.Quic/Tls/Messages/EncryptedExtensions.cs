using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Tls.Extensions;

namespace AwgProxy.Quic.Tls.Messages;

/// <summary>
/// RFC 8446 section 4.3.1, Encrypted Extensions:
/// <code>
/// struct {
///     Extension extensions&lt;0..2^16-1&gt;;
/// } EncryptedExtensions;
/// </code>
/// </summary>
internal sealed class EncryptedExtensions : IHandshakeMessage
{
    public List<TlsExtension> Extensions { get; init; } = [];

    /// <summary>Set by <see cref="TryParse"/> when an extension type appears twice (illegal_parameter).</summary>
    public bool HasDuplicateExtensions { get; private init; }

    public HandshakeType Type => HandshakeType.EncryptedExtensions;

    public int BodyLength => ExtensionBlock.GetLength(Extensions);

    public byte[]? FindExtension(ExtensionType type) => ExtensionBlock.Find(Extensions, type);

    public void WriteBody(ref SpanWriter writer) => ExtensionBlock.Write(ref writer, Extensions);

    public static bool TryParse(ReadOnlySpan<byte> body, out EncryptedExtensions? message)
    {
        message = null;
        var reader = new SpanReader(body);
        if (!ExtensionBlock.TryRead(ref reader, out List<TlsExtension> extensions, out bool duplicates) || !reader.IsEmpty) return false;
        message = new EncryptedExtensions { Extensions = extensions, HasDuplicateExtensions = duplicates };
        return true;
    }
}
