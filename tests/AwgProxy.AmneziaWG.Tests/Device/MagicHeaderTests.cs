using AwgProxy.AmneziaWG.Device;
using AwgProxy.AmneziaWG.Tests.Vectors;

namespace AwgProxy.AmneziaWG.Tests.Device;

public class MagicHeaderTests
{
    [Fact]
    public void FullRange_IsRejectedWithTheRangeInTheMessage()
    {
        Assert.False(MagicHeader.TryParse("0-4294967295", out _, out var error));
        Assert.Equal("range 0-4294967295 is too wide: its width 4294967296 does not fit in uint32", error);
        Assert.False(MagicHeader.TryParse("000-04294967295", out _, out _));
    }

    [Theory]
    [InlineData("0-4294967294")]
    [InlineData("1-4294967295")]
    public void AlmostFullRange_IsAcceptedAndGenerates(string spec)
    {
        var header = MagicHeader.Parse(spec);
        var stream = Sha256CounterStream.FromHex("05");
        for (var i = 0; i < 50; i++)
        {
            Assert.True(header.Validate(header.Generate(stream)));
        }
    }

    [Fact]
    public void SingleValue_GeneratesItWithoutRandomness()
    {
        var header = MagicHeader.Parse("00123");
        var stream = Sha256CounterStream.FromHex("05");

        Assert.Equal(123u, header.Generate(stream));
        Assert.Equal(0, stream.BytesConsumed);
        Assert.Equal("123", header.ToString());
    }

    [Fact]
    public void Parse_Invalid_ThrowsValidationExceptionWithUpstreamText()
    {
        var ex = Assert.Throws<AwgValidationException>(() => MagicHeader.Parse("9-1"));
        Assert.Equal("wrong range specified", ex.Message);
    }
}
