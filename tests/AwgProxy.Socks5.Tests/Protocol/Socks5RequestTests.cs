using System.Net;
using AwgProxy.Socks5.Protocol;

namespace AwgProxy.Socks5.Tests.Protocol;

public class Socks5RequestTests
{
    private static readonly DescribingParser s_parse = static (ReadOnlySpan<byte> source, out string description) =>
    {
        Socks5ParseResult result = Socks5Request.TryParse(source, out Socks5Request request);
        description = $"{(byte)request.Command} {request.DestinationAddress.Type} {request.DestinationAddress}:{request.DestinationPort}";
        return result;
    };

    public static TheoryData<string, byte[]> Encodings => new()
    {
        { "1 IPv4 127.0.0.1:8080", [0x05, 0x01, 0x00, 0x01, 127, 0, 0, 1, 0x1F, 0x90] },
        { "1 IPv6 ::1:443", [0x05, 0x01, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x01, 0xBB] },
        { "1 DomainName example.com:65535", [0x05, 0x01, 0x00, 0x03, 11, .. "example.com"u8, 0xFF, 0xFF] },
        { "2 IPv4 0.0.0.0:0", [0x05, 0x02, 0x00, 0x01, 0, 0, 0, 0, 0, 0] },
        { "3 IPv4 0.0.0.0:0", [0x05, 0x03, 0x00, 0x01, 0, 0, 0, 0, 0, 0] },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void KnownEncoding_ParsesInEveryDeliveryAndWritesBack(string expected, byte[] encoding)
    {
        Assert.Equal(expected, ParseHarness.AssertEveryDeliveryParsesTheSame(encoding, s_parse));
        Socks5Request.TryParse(encoding, out Socks5Request request);
        byte[] written = new byte[request.EncodedLength];
        Assert.Equal(encoding.Length, request.Write(written));
        Assert.Equal(encoding, written);
    }

    [Fact]
    public void PortIsNetworkOrder()
    {
        Socks5Request.TryParse([0x05, 0x01, 0x00, 0x01, 10, 0, 0, 1, 0x12, 0x34], out Socks5Request request);
        Assert.Equal(0x1234, request.DestinationPort);
    }

    [Fact]
    public void UnknownCommand_StillParsesSoItCanBeAnsweredWithCommandNotSupported()
    {
        Socks5ParseResult result = Socks5Request.TryParse([0x05, 0x09, 0x00, 0x01, 10, 0, 0, 1, 0, 80], out Socks5Request request);
        Assert.Equal(Socks5ParseResult.Complete(10), result);
        Assert.Equal((Socks5Command)0x09, request.Command);
    }

    [Fact]
    public void UnknownAddressType_IsInvalidWithAddressTypeNotSupported()
    {
        Socks5ParseResult result = Socks5Request.TryParse([0x05, 0x01, 0x00, 0x02, 10, 0, 0, 1, 0, 80], out _);
        Assert.Equal(Socks5ParseStatus.Invalid, result.Status);
        Assert.Equal(Socks5ReplyCode.AddressTypeNotSupported, result.ReplyCode);
    }

    [Fact]
    public void EmptyDomainName_IsInvalid()
    {
        Socks5ParseResult result = Socks5Request.TryParse([0x05, 0x01, 0x00, 0x03, 0, 0, 80], out _);
        Assert.Equal(Socks5ParseStatus.Invalid, result.Status);
        Assert.Equal(Socks5ReplyCode.GeneralFailure, result.ReplyCode);
    }

    [Fact]
    public void WrongVersion_IsInvalidWithGeneralFailure()
    {
        Socks5ParseResult result = Socks5Request.TryParse([0x04, 0x01], out _);
        Assert.Equal(Socks5ParseStatus.Invalid, result.Status);
        Assert.Equal(Socks5ReplyCode.GeneralFailure, result.ReplyCode);
    }

    [Fact]
    public void NonZeroReservedOctet_IsAccepted()
    {
        Assert.Equal(Socks5ParseResult.Complete(10), Socks5Request.TryParse([0x05, 0x01, 0x7F, 0x01, 10, 0, 0, 1, 0, 80], out _));
    }

    [Fact]
    public void Write_IntoShortBuffer_Throws()
    {
        var request = new Socks5Request(Socks5Command.Connect, Socks5Address.FromIPAddress(IPAddress.Loopback), 80);
        Assert.Throws<ArgumentException>(() => request.Write(new byte[request.EncodedLength - 1]));
    }

    [Fact]
    public void RandomMutations_NeverThrow()
    {
        byte[][] seeds = [.. Encodings.Select(row => (byte[])row[1])];
        ParseHarness.AssertSurvivesMutations(seeds, s_parse, seed: 1080);
    }
}
