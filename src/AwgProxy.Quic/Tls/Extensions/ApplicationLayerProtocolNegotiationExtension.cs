using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Tls.Extensions;

/// <summary>
/// RFC 7301 section 3.1, application_layer_protocol_negotiation:
/// <code>
/// opaque ProtocolName&lt;1..2^8-1&gt;;
///
/// struct {
///     ProtocolName protocol_name_list&lt;2..2^16-1&gt;
/// } ProtocolNameList;
/// </code>
/// The server's answer in EncryptedExtensions carries exactly one name.
/// </summary>
internal static class ApplicationLayerProtocolNegotiationExtension
{
    public static byte[] Encode(IReadOnlyList<byte[]> protocols)
    {
        if (protocols.Count == 0) throw new ArgumentException("At least one protocol.", nameof(protocols));
        int listLength = 0;
        foreach (byte[] protocol in protocols)
        {
            if (protocol.Length is 0 or > 255) throw new ArgumentException("Protocol name length out of range.", nameof(protocols));
            listLength += 1 + protocol.Length;
        }

        if (listLength > ushort.MaxValue) throw new ArgumentException("Protocol list too long.", nameof(protocols));
        byte[] data = new byte[2 + listLength];
        var writer = new SpanWriter(data);
        writer.WriteUInt16((ushort)listLength);
        foreach (byte[] protocol in protocols)
        {
            writer.WriteByte((byte)protocol.Length);
            writer.WriteBytes(protocol);
        }

        return data;
    }

    public static bool TryParse(ReadOnlySpan<byte> data, out List<byte[]> protocols)
    {
        protocols = [];
        var reader = new SpanReader(data);
        if (!reader.TryReadUInt16LengthPrefixed(out ReadOnlySpan<byte> list) || !reader.IsEmpty || list.Length < 2) return false;

        var entries = new SpanReader(list);
        while (!entries.IsEmpty)
        {
            if (!entries.TryReadUInt8LengthPrefixed(out ReadOnlySpan<byte> name) || name.IsEmpty)
            {
                protocols = [];
                return false;
            }

            protocols.Add(name.ToArray());
        }

        return true;
    }
}
