using System.Net;
using AwgProxy.Cli.Configuration;

namespace AwgProxy.Cli.Tests.Configuration;

public class AddressParsingTests
{
    [Theory]
    [InlineData("vpn.example.org:51820", "vpn.example.org", 51820)]
    [InlineData(" 203.0.113.7:443 ", "203.0.113.7", 443)]
    [InlineData("[2001:db8::1]:8443", "2001:db8::1", 8443)]
    [InlineData("localhost:1", "localhost", 1)]
    public void HostPort_Parses(string text, string host, int port)
    {
        Assert.True(HostPort.TryParse(text, out var value, out var error), error);
        Assert.Equal(new HostPort(host, port), value);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("vpn.example.org", "no port")]
    [InlineData("vpn.example.org:0", "from 1 to 65535")]
    [InlineData("vpn.example.org:65536", "from 1 to 65535")]
    [InlineData("vpn.example.org:http", "from 1 to 65535")]
    [InlineData("2001:db8::1:443", "needs brackets")]
    [InlineData("[2001:db8::1]443", "expected [IPv6 address]:port")]
    [InlineData("[vpn.example.org]:443", "not an IPv6 address")]
    [InlineData("bad host!:443", "not a DNS name")]
    public void HostPort_RejectsWithAReason(string text, string reason)
    {
        Assert.False(HostPort.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void HostPort_FormatsIPv6WithBrackets() =>
        Assert.Equal("[2001:db8::1]:443", new HostPort("2001:db8::1", 443).ToString());

    [Theory]
    [InlineData("127.0.0.1:1080", "127.0.0.1:1080")]
    [InlineData("0.0.0.0:0", "0.0.0.0:0")]
    [InlineData("[::]:51820", "[::]:51820")]
    public void ListenAddress_ParsesIPLiterals(string text, string expected)
    {
        Assert.True(ListenAddress.TryParse(text, out var endPoint, out var error), error);
        Assert.Equal(expected, ListenAddress.Format(endPoint));
        Assert.Equal(IPEndPoint.Parse(text), endPoint);
    }

    [Fact]
    public void ListenAddress_RejectsHostNames()
    {
        Assert.False(ListenAddress.TryParse("localhost:9090", out _, out var error));
        Assert.Contains("must be an IP address", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("debug", Microsoft.Extensions.Logging.LogLevel.Debug)]
    [InlineData("DEBUG", Microsoft.Extensions.Logging.LogLevel.Debug)]
    [InlineData("Trace", Microsoft.Extensions.Logging.LogLevel.Trace)]
    [InlineData("information", Microsoft.Extensions.Logging.LogLevel.Information)]
    [InlineData("info", Microsoft.Extensions.Logging.LogLevel.Information)]
    [InlineData(" warning ", Microsoft.Extensions.Logging.LogLevel.Warning)]
    [InlineData("warn", Microsoft.Extensions.Logging.LogLevel.Warning)]
    [InlineData("error", Microsoft.Extensions.Logging.LogLevel.Error)]
    [InlineData("critical", Microsoft.Extensions.Logging.LogLevel.Critical)]
    [InlineData("none", Microsoft.Extensions.Logging.LogLevel.None)]
    public void LogLevels_ParseCaseInsensitively(string text, Microsoft.Extensions.Logging.LogLevel expected)
    {
        Assert.True(LogLevelText.TryParse(text, out var level));
        Assert.Equal(expected, level);
    }

    [Theory]
    [InlineData("verbose")]
    [InlineData("2")]
    [InlineData("")]
    public void LogLevels_RejectOtherText(string text) => Assert.False(LogLevelText.TryParse(text, out _));
}
