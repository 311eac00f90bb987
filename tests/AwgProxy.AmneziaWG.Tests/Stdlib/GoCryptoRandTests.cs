using AwgProxy.AmneziaWG.Stdlib;
using AwgProxy.AmneziaWG.Tests.Vectors;

namespace AwgProxy.AmneziaWG.Tests.Stdlib;

public class GoCryptoRandTests
{
    [Fact]
    public void Int_EmptySeedFirstByte_IsMaskedToTheBitLength()
    {
        // The empty-seed stream starts df 3f 61 98; max 8 keeps the low 3 bits of df: 7.
        Assert.Equal(7, GoCryptoRand.Int(Sha256CounterStream.FromHex(""), 8));
    }

    [Fact]
    public void Int_LargestMax_ReadsEightBytesAndStaysBelowMax()
    {
        var stream = Sha256CounterStream.FromHex("aa");
        for (var i = 0; i < 100; i++)
        {
            var v = GoCryptoRand.Int(stream, long.MaxValue);
            Assert.InRange(v, 0, long.MaxValue - 1);
        }

        Assert.Equal(0, stream.BytesConsumed % 8);
    }

    [Fact]
    public void Int_ValuesCoverTheRangeUniformlyEnough()
    {
        var stream = Sha256CounterStream.FromHex("0102");
        var counts = new int[5];
        for (var i = 0; i < 5000; i++)
        {
            counts[GoCryptoRand.Int(stream, 5)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(long.MinValue)]
    public void Int_NonPositiveMax_IsAProgrammingError(long max)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GoCryptoRand.Int(Sha256CounterStream.FromHex(""), max));
    }
}
