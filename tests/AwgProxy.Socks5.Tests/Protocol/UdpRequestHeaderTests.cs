using System.Net;
using AwgProxy.Socks5.Protocol;

namespace AwgProxy.Socks5.Tests.Protocol;

public class UdpRequestHeaderTests
{
    private static readonly DescribingParser s_parse = static (ReadOnlySpan<byte> source, out string description) =>
    {
        Socks5ParseResult result = UdpRequestHeader.TryParse(source, out UdpRequestHeader header);
        description = $"{header.Fragment} {header.DestinationAddress}:{header.DestinationPort}";
        return result;
    };

    [Fact]
    public void Datagram_HeaderEndsWhereDataBegins()
    {
        byte[] datagram = [0x00, 0x00, 0x00, 0x01, 192, 0, 2, 53, 0x00, 0x35, .. "query"u8];
        Socks5ParseResult result = UdpRequestHeader.TryParse(datagram, out UdpRequestHeader header);
        Assert.Equal(Socks5ParseResult.Complete(10), result);
        Assert.Equal(0, header.Fragment);
        Assert.Equal(IPAddress.Parse("192.0.2.53"), header.DestinationAddress.IPAddress);
        Assert.Equal(53, header.DestinationPort);
        Assert.Equal("query"u8.ToArray(), datagram[result.BytesConsumed..]);
    }

    [Fact]
    public void Header_RoundTripsWithEveryAddressType()
    {
        UdpRequestHeader[] headers =
        [
            new(0, Socks5Address.FromIPAddress(IPAddress.Loopback), 53),
            new(1, Socks5Address.FromIPAddress(IPAddress.IPv6Loopback), 443),
            new(0x7F, Socks5Address.FromDomainName("dns.example"), 853),
        ];
        foreach (UdpRequestHeader header in headers)
        {
            byte[] written = new byte[header.EncodedLength];
            Assert.Equal(written.Length, header.Write(written));
            Assert.Equal(0, written[0]);
            Assert.Equal(0, written[1]);
            ParseHarness.AssertEveryDeliveryParsesTheSame(written, s_parse);
            UdpRequestHeader.TryParse(written, out UdpRequestHeader parsed);
            Assert.Equal(header, parsed);
        }
    }

    [Fact]
    public void UnknownAddressType_IsInvalidWithAddressTypeNotSupported()
    {
        Socks5ParseResult result = UdpRequestHeader.TryParse([0, 0, 0, 0x06, 1, 2, 3, 4, 0, 53], out _);
        Assert.Equal(Socks5ParseStatus.Invalid, result.Status);
        Assert.Equal(Socks5ReplyCode.AddressTypeNotSupported, result.ReplyCode);
    }

    [Fact]
    public void RandomMutations_NeverThrow()
    {
        byte[][] seeds = [[0, 0, 0, 0x01, 192, 0, 2, 53, 0, 53, 1, 2, 3], [0, 0, 1, 0x03, 1, (byte)'a', 0, 53]];
        ParseHarness.AssertSurvivesMutations(seeds, s_parse, seed: 7);
    }
}
