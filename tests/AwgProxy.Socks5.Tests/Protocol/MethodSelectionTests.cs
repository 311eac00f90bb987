using AwgProxy.Socks5.Protocol;

namespace AwgProxy.Socks5.Tests.Protocol;

public class MethodSelectionTests
{
    private static readonly DescribingParser s_parseRequest = static (ReadOnlySpan<byte> source, out string description) =>
    {
        Socks5ParseResult result = MethodSelectionRequest.TryParse(source, out MethodSelectionRequest request);
        var offered = Enumerable.Range(0, 256).Where(m => request.Offers((Socks5AuthMethod)m));
        description = $"{request.MethodCount}: {string.Join(",", offered)}";
        return result;
    };

    private static readonly DescribingParser s_parseReply = static (ReadOnlySpan<byte> source, out string description) =>
    {
        Socks5ParseResult result = MethodSelectionReply.TryParse(source, out MethodSelectionReply reply);
        description = reply.Method.ToString();
        return result;
    };

    [Fact]
    public void Greeting_OfferingNoAuthAndUsernamePassword_ParsesBoth()
    {
        byte[] greeting = [0x05, 0x02, 0x00, 0x02];
        Assert.Equal("2: 0,2", ParseHarness.AssertEveryDeliveryParsesTheSame(greeting, s_parseRequest));
        MethodSelectionRequest.TryParse(greeting, out MethodSelectionRequest request);
        Assert.True(request.Offers(Socks5AuthMethod.UsernamePassword));
        Assert.True(request.Offers(Socks5AuthMethod.NoAuthenticationRequired));
        Assert.False(request.Offers(Socks5AuthMethod.Gssapi));
    }

    [Fact]
    public void Greeting_OfferingOnlyNoAuth_DoesNotOfferUsernamePassword()
    {
        MethodSelectionRequest.TryParse([0x05, 0x01, 0x00], out MethodSelectionRequest request);
        Assert.False(request.Offers(Socks5AuthMethod.UsernamePassword));
    }

    [Fact]
    public void Greeting_WithZeroMethods_IsCompleteAndOffersNothing()
    {
        Assert.Equal(Socks5ParseResult.Complete(2), MethodSelectionRequest.TryParse([0x05, 0x00], out MethodSelectionRequest request));
        Assert.Equal(0, request.MethodCount);
        Assert.DoesNotContain(Enumerable.Range(0, 256), m => request.Offers((Socks5AuthMethod)m));
    }

    [Fact]
    public void Greeting_WithAll256Methods_OffersEachOfThem()
    {
        // NMETHODS is at most 255, so offer 255 distinct values and check the one left out.
        Socks5AuthMethod[] methods = Enumerable.Range(0, 256).Where(m => m != 0x7F).Select(m => (Socks5AuthMethod)m).ToArray();
        byte[] greeting = new byte[MethodSelectionRequest.GetEncodedLength(methods.Length)];
        Assert.Equal(257, MethodSelectionRequest.Write(greeting, methods));
        ParseHarness.AssertEveryDeliveryParsesTheSame(greeting, s_parseRequest);
        MethodSelectionRequest.TryParse(greeting, out MethodSelectionRequest request);
        Assert.Equal(255, request.MethodCount);
        Assert.All(methods, m => Assert.True(request.Offers(m)));
        Assert.False(request.Offers((Socks5AuthMethod)0x7F));
    }

    [Theory]
    [InlineData(0x04)]
    [InlineData(0x00)]
    [InlineData(0x47)] // 'G' of an HTTP request sent to the SOCKS port
    public void Greeting_WithWrongVersion_IsInvalidFromTheFirstByte(byte version)
    {
        Socks5ParseResult result = MethodSelectionRequest.TryParse([version], out _);
        Assert.Equal(Socks5ParseStatus.Invalid, result.Status);
    }

    [Fact]
    public void Greeting_Write_ProducesTheRfcLayout()
    {
        byte[] buffer = new byte[3];
        MethodSelectionRequest.Write(buffer, [Socks5AuthMethod.UsernamePassword]);
        Assert.Equal(new byte[] { 0x05, 0x01, 0x02 }, buffer);
    }

    [Fact]
    public void Greeting_WriteWithoutMethods_Throws()
    {
        Assert.Throws<ArgumentException>(() => MethodSelectionRequest.Write(new byte[8], []));
    }

    [Theory]
    [InlineData(Socks5AuthMethod.UsernamePassword, new byte[] { 0x05, 0x02 })]
    [InlineData(Socks5AuthMethod.NoAcceptableMethods, new byte[] { 0x05, 0xFF })]
    public void Reply_RoundTrips(Socks5AuthMethod method, byte[] encoding)
    {
        byte[] written = new byte[MethodSelectionReply.EncodedLength];
        new MethodSelectionReply(method).Write(written);
        Assert.Equal(encoding, written);
        Assert.Equal(method.ToString(), ParseHarness.AssertEveryDeliveryParsesTheSame(encoding, s_parseReply));
    }

    [Fact]
    public void RandomMutations_NeverThrow()
    {
        byte[][] seeds = [[0x05, 0x02, 0x00, 0x02], [0x05, 0x01, 0x00], [0x05, 0x02]];
        ParseHarness.AssertSurvivesMutations(seeds, s_parseRequest, seed: 3);
        ParseHarness.AssertSurvivesMutations(seeds, s_parseReply, seed: 4);
    }
}
