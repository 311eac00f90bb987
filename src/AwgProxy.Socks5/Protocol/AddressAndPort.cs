using System.Buffers.Binary;

namespace AwgProxy.Socks5.Protocol;

/// <summary>
/// The "ATYP ADDR PORT" tail shared by the request, the reply and the UDP request header (RFC 1928 §4, §6, §7).
/// </summary>
internal static class AddressAndPort
{
    public static Socks5ParseResult TryParse(ReadOnlySpan<byte> source, out Socks5Address address, out ushort port)
    {
        port = 0;
        Socks5ParseResult result = Socks5Address.TryParse(source, out address);
        if (result.Status != Socks5ParseStatus.Complete)
        {
            return result;
        }

        int length = result.BytesConsumed + Socks5Constants.PortLength;
        if (source.Length < length)
        {
            address = default;
            return Socks5ParseResult.NeedMoreData;
        }

        port = BinaryPrimitives.ReadUInt16BigEndian(source[result.BytesConsumed..]);
        return Socks5ParseResult.Complete(length);
    }

    public static int GetEncodedLength(Socks5Address address) => address.EncodedLength + Socks5Constants.PortLength;

    public static int Write(Span<byte> destination, Socks5Address address, ushort port)
    {
        int written = address.Write(destination);
        BinaryPrimitives.WriteUInt16BigEndian(destination[written..], port);
        return written + Socks5Constants.PortLength;
    }
}
