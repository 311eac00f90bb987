using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Tls.Extensions;

/// <summary>
/// RFC 8446 section 4.2.1, Supported Versions:
/// <code>
/// struct {
///     select (Handshake.msg_type) {
///         case client_hello:
///              ProtocolVersion versions&lt;2..254&gt;;
///
///         case server_hello: /* and HelloRetryRequest */
///              ProtocolVersion selected_version;
///     };
/// } SupportedVersions;
/// </code>
/// </summary>
internal static class SupportedVersionsExtension
{
    public static byte[] EncodeClientHello(IReadOnlyList<ushort> versions)
    {
        if (versions.Count is 0 or > 127) throw new ArgumentException("Version count out of range.", nameof(versions));
        byte[] data = new byte[1 + 2 * versions.Count];
        var writer = new SpanWriter(data);
        writer.WriteByte((byte)(2 * versions.Count));
        foreach (ushort version in versions) writer.WriteUInt16(version);
        return data;
    }

    public static bool TryParseClientHello(ReadOnlySpan<byte> data, out ushort[] versions)
    {
        versions = [];
        var reader = new SpanReader(data);
        if (!reader.TryReadUInt8LengthPrefixed(out ReadOnlySpan<byte> list) || !reader.IsEmpty) return false;
        if (list.Length < 2 || list.Length % 2 != 0) return false;

        versions = new ushort[list.Length / 2];
        var entries = new SpanReader(list);
        for (int i = 0; i < versions.Length; i++) entries.TryReadUInt16(out versions[i]);
        return true;
    }

    public static byte[] EncodeServerHello(ushort selectedVersion) => [(byte)(selectedVersion >> 8), (byte)selectedVersion];

    public static bool TryParseServerHello(ReadOnlySpan<byte> data, out ushort selectedVersion)
    {
        var reader = new SpanReader(data);
        return reader.TryReadUInt16(out selectedVersion) && reader.IsEmpty;
    }
}
