using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Tls.Extensions;

/// <summary>
/// RFC 8446 section 4.2.2, Cookie (sent in a HelloRetryRequest, echoed in the second ClientHello):
/// <code>
/// struct {
///     opaque cookie&lt;1..2^16-1&gt;;
/// } Cookie;
/// </code>
/// </summary>
internal static class CookieExtension
{
    public static byte[] Encode(ReadOnlySpan<byte> cookie)
    {
        if (cookie.IsEmpty || cookie.Length > ushort.MaxValue - 2) throw new ArgumentException("Cookie length out of range.", nameof(cookie));
        byte[] data = new byte[2 + cookie.Length];
        var writer = new SpanWriter(data);
        writer.WriteUInt16((ushort)cookie.Length);
        writer.WriteBytes(cookie);
        return data;
    }

    public static bool TryParse(ReadOnlySpan<byte> data, out byte[] cookie)
    {
        cookie = [];
        var reader = new SpanReader(data);
        if (!reader.TryReadUInt16LengthPrefixed(out ReadOnlySpan<byte> value) || !reader.IsEmpty || value.IsEmpty) return false;
        cookie = value.ToArray();
        return true;
    }
}
