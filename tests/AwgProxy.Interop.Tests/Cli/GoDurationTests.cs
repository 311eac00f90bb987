using AwgProxy.Interop.Cli;

namespace AwgProxy.Interop.Tests.Cli;

public class GoDurationTests
{
    [Theory]
    [InlineData("10m", 600_000_000_0L)]
    [InlineData("30s", 300_000_000L)]
    [InlineData("500ms", 5_000_000L)]
    [InlineData("2m0s", 1_200_000_000L)]
    [InlineData("1h30m", 54_000_000_000L)]
    [InlineData("1.5s", 15_000_000L)]
    [InlineData(".5s", 5_000_000L)]
    [InlineData("1.s", 10_000_000L)]
    [InlineData("+2s", 20_000_000L)]
    [InlineData("-1s", -10_000_000L)]
    [InlineData("0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("0s", 0L)]
    [InlineData("100us", 1_000L)]
    [InlineData("100\u00b5s", 1_000L)]
    [InlineData("100\u03bcs", 1_000L)]
    [InlineData("1500ns", 15L)]
    [InlineData("1m30s500ms", 905_000_000L)]
    public void ValidGoDurations_ParseToTicks(string text, long ticks)
    {
        Assert.True(GoDuration.TryParse(text, out TimeSpan value));
        Assert.Equal(ticks, value.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("s")]
    [InlineData(".s")]
    [InlineData("1x")]
    [InlineData("1m-1s")]
    [InlineData("1 s")]
    [InlineData("-")]
    [InlineData("9223372036854775808ns")]
    [InlineData("3000000h")]
    public void InvalidGoDurations_AreRejected(string text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(600_000_000_0L, "10m0s")]
    [InlineData(300_000_000L, "30s")]
    [InlineData(1_200_000_000L, "2m0s")]
    [InlineData(15_000_000L, "1.5s")]
    [InlineData(5_000_000L, "500ms")]
    [InlineData(36_610_000_000L, "1h1m1s")]
    [InlineData(-10_000_000L, "-1s")]
    public void Format_MatchesGoDurationString(long ticks, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromTicks(ticks)));
    }
}
