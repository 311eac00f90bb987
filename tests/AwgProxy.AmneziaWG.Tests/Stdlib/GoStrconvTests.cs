using AwgProxy.AmneziaWG.Stdlib;

namespace AwgProxy.AmneziaWG.Tests.Stdlib;

public class GoStrconvTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("-0", 0)]
    [InlineData("+42", 42)]
    [InlineData("007", 7)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("000000000000000000000000000001", 1)]
    public void Atoi_Valid_ReturnsValue(string s, long expected)
    {
        Assert.True(GoStrconv.TryAtoi(s, out var value, out var error), error);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("", "strconv.Atoi: parsing \"\": invalid syntax")]
    [InlineData("+", "strconv.Atoi: parsing \"+\": invalid syntax")]
    [InlineData("--1", "strconv.Atoi: parsing \"--1\": invalid syntax")]
    [InlineData(" 1", "strconv.Atoi: parsing \" 1\": invalid syntax")]
    [InlineData("1_000", "strconv.Atoi: parsing \"1_000\": invalid syntax")]
    [InlineData("0x10", "strconv.Atoi: parsing \"0x10\": invalid syntax")]
    [InlineData("9223372036854775808", "strconv.Atoi: parsing \"9223372036854775808\": value out of range")]
    [InlineData("-9223372036854775809", "strconv.Atoi: parsing \"-9223372036854775809\": value out of range")]
    [InlineData("99999999999999999999x", "strconv.Atoi: parsing \"99999999999999999999x\": value out of range")]
    [InlineData("1x99999999999999999999", "strconv.Atoi: parsing \"1x99999999999999999999\": invalid syntax")]
    [InlineData("\u0663", "strconv.Atoi: parsing \"\u0663\": invalid syntax")]
    public void Atoi_Invalid_ReportsGoError(string s, string expected)
    {
        Assert.False(GoStrconv.TryAtoi(s, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("4294967295", null)]
    [InlineData("4294967296", "strconv.ParseUint: parsing \"4294967296\": value out of range")]
    [InlineData("9999999999x", "strconv.ParseUint: parsing \"9999999999x\": value out of range")]
    [InlineData("-1", "strconv.ParseUint: parsing \"-1\": invalid syntax")]
    [InlineData("+1", "strconv.ParseUint: parsing \"+1\": invalid syntax")]
    public void ParseUint32_MatchesGo(string s, string? expected)
    {
        var ok = GoStrconv.TryParseUint(s, 32, out var value, out var error);
        Assert.Equal(expected is null, ok);
        Assert.Equal(expected, error);
        Assert.Equal(ok ? uint.MaxValue : 0UL, value);
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("\a\b\f\n\r\t\v", "\"\\a\\b\\f\\n\\r\\t\\v\"")]
    [InlineData("\u0001\u001f\u007f", "\"\\x01\\x1f\\x7f\"")]
    [InlineData("\u0085\u00a0\u00ad\u200b\u2028\u3000", "\"\\u0085\\u00a0\\u00ad\\u200b\\u2028\\u3000\"")]
    [InlineData("é日本\U0001F600", "\"é日本\U0001F600\"")]
    [InlineData("\U000E0001", "\"\\U000e0001\"")]
    public void Quote_EscapesLikeGo(string s, string expected) => Assert.Equal(expected, GoStrconv.Quote(s));
}
