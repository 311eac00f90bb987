namespace AwgProxy.Quic.Tls.Extensions;

/// <summary>
/// RFC 8446 section 4.2, one entry of an extension block, its body still encoded:
/// <code>
/// struct {
///     ExtensionType extension_type;
///     opaque extension_data&lt;0..2^16-1&gt;;
/// } Extension;
/// </code>
/// </summary>
internal readonly record struct TlsExtension(ExtensionType Type, byte[] Data)
{
    /// <summary>Encoded size: type, length and body.</summary>
    public int Length => 4 + Data.Length;
}
