using System.Text;
using AwgProxy.Socks5.Protocol;

namespace AwgProxy.Socks5.Tests.Protocol;

public class UsernamePasswordTests
{
    private static readonly DescribingParser s_parseRequest = static (ReadOnlySpan<byte> source, out string description) =>
    {
        Socks5ParseResult result = UsernamePasswordRequest.TryParse(source, out UsernamePasswordRequest request);
        description = $"{Convert.ToHexString(request.UserName)}/{Convert.ToHexString(request.Password)}";
        return result;
    };

    private static readonly DescribingParser s_parseResponse = static (ReadOnlySpan<byte> source, out string description) =>
    {
        Socks5ParseResult result = UsernamePasswordResponse.TryParse(source, out UsernamePasswordResponse response);
        description = response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return result;
    };

    [Fact]
    public void Request_ParsesNameAndPassword()
    {
        byte[] request = [0x01, 5, .. "alice"u8, 3, .. "pwd"u8];
        ParseHarness.AssertEveryDeliveryParsesTheSame(request, s_parseRequest);
        UsernamePasswordRequest.TryParse(request, out UsernamePasswordRequest parsed);
        Assert.Equal("alice", Encoding.ASCII.GetString(parsed.UserName));
        Assert.Equal("pwd", Encoding.ASCII.GetString(parsed.Password));
    }

    [Fact]
    public void Request_Write_ProducesTheRfcLayout()
    {
        byte[] buffer = new byte[UsernamePasswordRequest.GetEncodedLength(5, 3)];
        UsernamePasswordRequest.Write(buffer, "alice"u8, "pwd"u8);
        byte[] expected = [0x01, 5, .. "alice"u8, 3, .. "pwd"u8];
        Assert.Equal(expected, buffer);
    }

    [Fact]
    public void Request_WithLongestFields_RoundTrips()
    {
        byte[] name = Enumerable.Repeat((byte)'n', 255).ToArray();
        byte[] password = Enumerable.Repeat((byte)'p', 255).ToArray();
        byte[] buffer = new byte[UsernamePasswordRequest.GetEncodedLength(255, 255)];
        Assert.Equal(Socks5Constants.MaxUsernamePasswordRequestLength, UsernamePasswordRequest.Write(buffer, name, password));
        ParseHarness.AssertEveryDeliveryParsesTheSame(buffer, s_parseRequest);
    }

    [Fact]
    public void Request_WithEmptyFields_ParsesSoTheCredentialCheckCanRefuseIt()
    {
        Assert.Equal(Socks5ParseResult.Complete(3), UsernamePasswordRequest.TryParse([0x01, 0, 0], out UsernamePasswordRequest request));
        Assert.True(request.UserName.IsEmpty);
        Assert.True(request.Password.IsEmpty);
    }

    [Fact]
    public void Request_WithSocksVersionInsteadOfSubnegotiationVersion_IsInvalid()
    {
        // A client that skipped authentication and sent its CONNECT request.
        Socks5ParseResult result = UsernamePasswordRequest.TryParse([0x05, 0x01, 0x00, 0x01], out _);
        Assert.Equal(Socks5ParseStatus.Invalid, result.Status);
    }

    [Fact]
    public void Request_WriteWithOversizedField_Throws()
    {
        Assert.Throws<ArgumentException>(() => UsernamePasswordRequest.Write(new byte[600], new byte[256], "p"u8));
        Assert.Throws<ArgumentException>(() => UsernamePasswordRequest.Write(new byte[600], "u"u8, new byte[256]));
    }

    [Theory]
    [InlineData(0x00, true)]
    [InlineData(0x01, false)]
    [InlineData(0xFF, false)]
    public void Response_RoundTripsAndReportsSuccessOnlyForZero(byte status, bool succeeded)
    {
        byte[] encoding = [0x01, status];
        ParseHarness.AssertEveryDeliveryParsesTheSame(encoding, s_parseResponse);
        UsernamePasswordResponse.TryParse(encoding, out UsernamePasswordResponse response);
        Assert.Equal(succeeded, response.Succeeded);
        byte[] written = new byte[2];
        response.Write(written);
        Assert.Equal(encoding, written);
    }

    [Fact]
    public void Response_FailureIsStatusOne()
    {
        byte[] written = new byte[2];
        UsernamePasswordResponse.Failure.Write(written);
        Assert.Equal(new byte[] { 0x01, 0x01 }, written);
    }

    [Fact]
    public void RandomMutations_NeverThrow()
    {
        byte[][] seeds = [[0x01, 5, .. "alice"u8, 3, .. "pwd"u8], [0x01, 0, 0], [0x01, 0x00]];
        ParseHarness.AssertSurvivesMutations(seeds, s_parseRequest, seed: 1929);
        ParseHarness.AssertSurvivesMutations(seeds, s_parseResponse, seed: 1930);
    }
}
