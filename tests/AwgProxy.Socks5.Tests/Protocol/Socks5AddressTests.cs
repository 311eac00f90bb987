using System.Net;
using System.Text;
using AwgProxy.Socks5.Protocol;

namespace AwgProxy.Socks5.Tests.Protocol;

public class Socks5AddressTests
{
    private static readonly DescribingParser s_parse = static (ReadOnlySpan<byte> source, out string description) =>
    {
        Socks5ParseResult result = Socks5Address.TryParse(source, out Socks5Address address);
        description = $"{address.Type} {address}";
        return result;
    };

    public static TheoryData<string, byte[]> Encodings => new()
    {
        { "IPv4 192.0.2.1", [0x01, 192, 0, 2, 1] },
        { "IPv6 2001:db8::1", [0x04, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01] },
        { "DomainName example.com", [0x03, 11, .. "example.com"u8] },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void KnownEncoding_ParsesAndWritesBackIdentically(string expected, byte[] encoding)
    {
        Assert.Equal(expected, ParseHarness.AssertEveryDeliveryParsesTheSame(encoding, s_parse));
        Socks5Address.TryParse(encoding, out Socks5Address address);
        Assert.Equal(encoding.Length, address.EncodedLength);
        byte[] written = new byte[address.EncodedLength];
        Assert.Equal(encoding.Length, address.Write(written));
        Assert.Equal(encoding, written);
    }

    [Fact]
    public void IPv4_ParsesToTheAddress()
    {
        Socks5Address.TryParse([0x01, 127, 0, 0, 1], out Socks5Address address);
        Assert.Equal(Socks5AddressType.IPv4, address.Type);
        Assert.Equal(IPAddress.Loopback, address.IPAddress);
        Assert.Null(address.DomainName);
    }

    [Fact]
    public void IPv6_ParsesToTheAddress()
    {
        byte[] encoding = [0x04, .. IPAddress.IPv6Loopback.GetAddressBytes()];
        Socks5Address.TryParse(encoding, out Socks5Address address);
        Assert.Equal(Socks5AddressType.IPv6, address.Type);
        Assert.Equal(IPAddress.IPv6Loopback, address.IPAddress);
    }

    [Fact]
    public void DomainName_IsKeptUnresolved()
    {
        Socks5Address.TryParse([0x03, 12, .. "echo.invalid"u8], out Socks5Address address);
        Assert.Equal(Socks5AddressType.DomainName, address.Type);
        Assert.Equal("echo.invalid", address.DomainName);
        Assert.Null(address.IPAddress);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x02)]
    [InlineData(0x05)]
    [InlineData(0xFF)]
    public void UnknownAddressType_IsInvalidWithAddressTypeNotSupported(byte addressType)
    {
        Socks5ParseResult result = Socks5Address.TryParse([addressType, 1, 2, 3, 4, 5, 6, 7, 8], out _);
        Assert.Equal(Socks5ParseStatus.Invalid, result.Status);
        Assert.Equal(Socks5ReplyCode.AddressTypeNotSupported, result.ReplyCode);
        Assert.Equal(0, result.BytesConsumed);
    }

    [Fact]
    public void EmptyDomainName_IsInvalid()
    {
        Socks5ParseResult result = Socks5Address.TryParse([0x03, 0x00, 0x00, 0x50], out _);
        Assert.Equal(Socks5ParseStatus.Invalid, result.Status);
        Assert.Equal(Socks5ReplyCode.GeneralFailure, result.ReplyCode);
        Assert.Contains("empty", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x20)]
    [InlineData(0x7F)]
    [InlineData(0x80)]
    [InlineData(0xFF)]
    public void DomainNameWithInvisibleOctet_IsInvalidAsSoonAsTheOctetArrives(byte octet)
    {
        // The name announces 10 octets but only 2 have arrived; the bad one is enough to decide.
        Socks5ParseResult result = Socks5Address.TryParse([0x03, 10, (byte)'a', octet], out _);
        Assert.Equal(Socks5ParseStatus.Invalid, result.Status);
        Assert.Equal(Socks5ReplyCode.GeneralFailure, result.ReplyCode);
    }

    [Fact]
    public void LongestDomainName_RoundTrips()
    {
        string name = new('a', 255);
        Socks5Address address = Socks5Address.FromDomainName(name);
        byte[] encoding = new byte[address.EncodedLength];
        address.Write(encoding);
        Assert.Equal(257, encoding.Length);
        Assert.Equal(255, encoding[1]);
        ParseHarness.AssertEveryDeliveryParsesTheSame(encoding, s_parse);
        Socks5Address.TryParse(encoding, out Socks5Address parsed);
        Assert.Equal(address, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("caf\u00e9.example")]
    public void FromDomainName_RejectsWhatCannotBeEncoded(string name)
    {
        Assert.Throws<ArgumentException>(() => Socks5Address.FromDomainName(name));
    }

    [Fact]
    public void FromDomainName_RejectsMoreThan255Characters()
    {
        Assert.Throws<ArgumentException>(() => Socks5Address.FromDomainName(new string('a', 256)));
    }

    [Fact]
    public void IPv4MappedIPv6_StaysIPv6()
    {
        IPAddress mapped = IPAddress.Parse("::ffff:192.0.2.1");
        Socks5Address address = Socks5Address.FromIPAddress(mapped);
        Assert.Equal(Socks5AddressType.IPv6, address.Type);
        Assert.Equal(17, address.EncodedLength);
    }

    [Fact]
    public void DefaultValue_CannotBeWritten()
    {
        Assert.Throws<InvalidOperationException>(() => default(Socks5Address).Write(new byte[300]));
    }

    [Fact]
    public void RandomMutations_NeverThrow()
    {
        byte[][] seeds =
        [
            [0x01, 192, 0, 2, 1],
            [0x04, .. IPAddress.IPv6Loopback.GetAddressBytes()],
            [0x03, 11, .. Encoding.ASCII.GetBytes("example.com")],
        ];
        ParseHarness.AssertSurvivesMutations(seeds, s_parse, seed: 1928);
    }
}
