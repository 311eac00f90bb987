using AwgProxy.Interop.Cli;

namespace AwgProxy.Interop.Tests.Cli;

public class GoIntegerTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("104857600", 104857600L)]
    [InlineData("-5", -5L)]
    [InlineData("+5", 5L)]
    [InlineData("0x10", 16L)]
    [InlineData("0X1f", 31L)]
    [InlineData("0b101", 5L)]
    [InlineData("0o17", 15L)]
    [InlineData("017", 15L)]
    [InlineData("1_000_000", 1000000L)]
    [InlineData("0x_ff", 255L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void ParseInt64_BaseZeroLikeGo(string text, long expected)
    {
        Assert.Equal(GoInteger.ParseError.None, GoInteger.TryParseInt64(text, out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("", GoInteger.ParseError.Syntax)]
    [InlineData("12a", GoInteger.ParseError.Syntax)]
    [InlineData("08", GoInteger.ParseError.Syntax)]
    [InlineData("0x", GoInteger.ParseError.Syntax)]
    [InlineData("_1", GoInteger.ParseError.Syntax)]
    [InlineData("1_", GoInteger.ParseError.Syntax)]
    [InlineData("1__0", GoInteger.ParseError.Syntax)]
    [InlineData("1.5", GoInteger.ParseError.Syntax)]
    [InlineData("100MB", GoInteger.ParseError.Syntax)]
    [InlineData("9223372036854775808", GoInteger.ParseError.Range)]
    [InlineData("99999999999999999999999", GoInteger.ParseError.Range)]
    public void ParseInt64_RejectsLikeGo(string text, GoInteger.ParseError expected)
    {
        Assert.Equal(expected, GoInteger.TryParseInt64(text, out _));
    }

    [Fact]
    public void ParseUInt64_AcceptsFullRangeButNoSign()
    {
        Assert.Equal(GoInteger.ParseError.None, GoInteger.TryParseUInt64("18446744073709551615", out ulong max));
        Assert.Equal(ulong.MaxValue, max);
        Assert.Equal(GoInteger.ParseError.Syntax, GoInteger.TryParseUInt64("-1", out _));
        Assert.Equal(GoInteger.ParseError.Range, GoInteger.TryParseUInt64("18446744073709551616", out _));
    }
}
