using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Tls.Extensions;

/// <summary>
/// RFC 8446 section 4.2.8, Key Share, in its three forms:
/// <code>
/// struct {
///     KeyShareEntry client_shares&lt;0..2^16-1&gt;;
/// } KeyShareClientHello;
///
/// struct {
///     NamedGroup selected_group;
/// } KeyShareHelloRetryRequest;
///
/// struct {
///     KeyShareEntry server_share;
/// } KeyShareServerHello;
/// </code>
/// </summary>
internal static class KeyShareExtension
{
    public static byte[] EncodeClientHello(IReadOnlyList<KeyShareEntry> shares)
    {
        int listLength = 0;
        foreach (KeyShareEntry share in shares) listLength += share.Length;
        byte[] data = new byte[2 + listLength];
        var writer = new SpanWriter(data);
        writer.WriteUInt16((ushort)listLength);
        foreach (KeyShareEntry share in shares) share.Write(ref writer);
        return data;
    }

    public static bool TryParseClientHello(ReadOnlySpan<byte> data, out List<KeyShareEntry> shares)
    {
        shares = [];
        var reader = new SpanReader(data);
        if (!reader.TryReadUInt16LengthPrefixed(out ReadOnlySpan<byte> list) || !reader.IsEmpty) return false;

        var entries = new SpanReader(list);
        while (!entries.IsEmpty)
        {
            if (!KeyShareEntry.TryRead(ref entries, out KeyShareEntry? entry))
            {
                shares = [];
                return false;
            }

            shares.Add(entry!);
        }

        return true;
    }

    public static byte[] EncodeHelloRetryRequest(NamedGroup selectedGroup) => [(byte)((ushort)selectedGroup >> 8), (byte)selectedGroup];

    public static bool TryParseHelloRetryRequest(ReadOnlySpan<byte> data, out NamedGroup selectedGroup)
    {
        var reader = new SpanReader(data);
        bool ok = reader.TryReadUInt16(out ushort group) && reader.IsEmpty;
        selectedGroup = (NamedGroup)group;
        return ok;
    }

    public static byte[] EncodeServerHello(KeyShareEntry serverShare)
    {
        byte[] data = new byte[serverShare.Length];
        var writer = new SpanWriter(data);
        serverShare.Write(ref writer);
        return data;
    }

    public static bool TryParseServerHello(ReadOnlySpan<byte> data, out KeyShareEntry? serverShare)
    {
        var reader = new SpanReader(data);
        if (KeyShareEntry.TryRead(ref reader, out serverShare) && reader.IsEmpty) return true;
        serverShare = null;
        return false;
    }
}
