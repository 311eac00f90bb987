using System.Net;
using AwgProxy.Socks5.Protocol;

namespace AwgProxy.Socks5.Tests.Protocol;

public class Socks5ReplyTests
{
    private static readonly DescribingParser s_parse = static (ReadOnlySpan<byte> source, out string description) =>
    {
        Socks5ParseResult result = Socks5Reply.TryParse(source, out Socks5Reply reply);
        description = $"{(byte)reply.ReplyCode} {reply.BoundAddress}:{reply.BoundPort}";
        return result;
    };

    [Theory]
    [InlineData(Socks5ReplyCode.GeneralFailure)]
    [InlineData(Socks5ReplyCode.ConnectionNotAllowed)]
    [InlineData(Socks5ReplyCode.NetworkUnreachable)]
    [InlineData(Socks5ReplyCode.HostUnreachable)]
    [InlineData(Socks5ReplyCode.ConnectionRefused)]
    [InlineData(Socks5ReplyCode.TtlExpired)]
    [InlineData(Socks5ReplyCode.CommandNotSupported)]
    [InlineData(Socks5ReplyCode.AddressTypeNotSupported)]
    public void Failure_IsTheCodeWithZeroAddressAndPort(Socks5ReplyCode code)
    {
        Socks5Reply reply = Socks5Reply.Failure(code);
        byte[] written = new byte[reply.EncodedLength];
        reply.Write(written);
        Assert.Equal(new byte[] { 0x05, (byte)code, 0x00, 0x01, 0, 0, 0, 0, 0, 0 }, written);
        ParseHarness.AssertEveryDeliveryParsesTheSame(written, s_parse);
    }

    [Fact]
    public void Success_WithIPv6BoundAddress_RoundTrips()
    {
        var reply = new Socks5Reply(Socks5ReplyCode.Succeeded, Socks5Address.FromIPAddress(IPAddress.Parse("2001:db8::7")), 40000);
        byte[] written = new byte[reply.EncodedLength];
        reply.Write(written);
        Assert.Equal(22, written.Length);
        Assert.Equal("0 2001:db8::7:40000", ParseHarness.AssertEveryDeliveryParsesTheSame(written, s_parse));
        Socks5Reply.TryParse(written, out Socks5Reply parsed);
        Assert.Equal(reply, parsed);
    }

    [Fact]
    public void Success_WithDomainBoundAddress_RoundTrips()
    {
        var reply = new Socks5Reply(Socks5ReplyCode.Succeeded, Socks5Address.FromDomainName("relay.example"), 1080);
        byte[] written = new byte[reply.EncodedLength];
        reply.Write(written);
        ParseHarness.AssertEveryDeliveryParsesTheSame(written, s_parse);
        Socks5Reply.TryParse(written, out Socks5Reply parsed);
        Assert.Equal(reply, parsed);
    }

    [Fact]
    public void ReplyWithUnknownAddressType_IsInvalid()
    {
        Assert.Equal(Socks5ParseStatus.Invalid, Socks5Reply.TryParse([0x05, 0x00, 0x00, 0x09], out _).Status);
    }

    [Fact]
    public void Constructor_RejectsDefaultAddress()
    {
        Assert.Throws<ArgumentException>(() => new Socks5Reply(Socks5ReplyCode.Succeeded, default, 0));
    }

    [Fact]
    public void RandomMutations_NeverThrow()
    {
        byte[][] seeds =
        [
            [0x05, 0x00, 0x00, 0x01, 127, 0, 0, 1, 0x04, 0x38],
            [0x05, 0x00, 0x00, 0x03, 3, .. "a.b"u8, 0, 80],
            [0x05, 0x04, 0x00, 0x04, .. IPAddress.IPv6Loopback.GetAddressBytes(), 0, 0],
        ];
        ParseHarness.AssertSurvivesMutations(seeds, s_parse, seed: 6);
    }
}
