using System.Text;
using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Tls.Extensions;

/// <summary>
/// RFC 6066 section 3, Server Name Indication:
/// <code>
/// struct {
///     NameType name_type;
///     select (name_type) {
///         case host_name: HostName;
///     } name;
/// } ServerName;
///
/// enum {
///     host_name(0), (255)
/// } NameType;
///
/// opaque HostName&lt;1..2^16-1&gt;;
///
/// struct {
///     ServerName server_name_list&lt;1..2^16-1&gt;
/// } ServerNameList;
/// </code>
/// A server that used the name answers with an empty extension_data in EncryptedExtensions.
/// </summary>
internal static class ServerNameExtension
{
    private const byte HostNameType = 0;

    /// <summary>The ClientHello body naming <paramref name="hostName"/> (ASCII, no trailing dot).</summary>
    public static byte[] Encode(string hostName)
    {
        byte[] name = Encoding.ASCII.GetBytes(hostName);
        if (name.Length is 0 or > ushort.MaxValue - 3) throw new ArgumentException("Host name length out of range.", nameof(hostName));
        byte[] data = new byte[2 + 1 + 2 + name.Length];
        var writer = new SpanWriter(data);
        writer.WriteUInt16((ushort)(1 + 2 + name.Length));
        writer.WriteByte(HostNameType);
        writer.WriteUInt16((ushort)name.Length);
        writer.WriteBytes(name);
        return data;
    }

    /// <summary>
    /// Reads a ClientHello body. Fails on malformed bytes, an unknown or repeated name type, or a host
    /// name that is not printable ASCII.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out string hostName)
    {
        hostName = "";
        var reader = new SpanReader(data);
        if (!reader.TryReadUInt16LengthPrefixed(out ReadOnlySpan<byte> list) || !reader.IsEmpty || list.IsEmpty) return false;

        var entries = new SpanReader(list);
        string? found = null;
        while (!entries.IsEmpty)
        {
            if (!entries.TryReadByte(out byte nameType) || nameType != HostNameType) return false;
            if (!entries.TryReadUInt16LengthPrefixed(out ReadOnlySpan<byte> name) || name.IsEmpty) return false;
            if (found is not null) return false;
            foreach (byte b in name)
            {
                if (b is < 0x21 or > 0x7E) return false;
            }

            found = Encoding.ASCII.GetString(name);
        }

        hostName = found!;
        return true;
    }
}
