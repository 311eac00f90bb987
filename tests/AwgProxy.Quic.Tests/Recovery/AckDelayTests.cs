using AwgProxy.Quic.Recovery;

namespace AwgProxy.Quic.Tests.Recovery;

public class AckDelayTests
{
    [Theory]
    [InlineData(0L, 3, 0UL)]
    [InlineData(7L, 3, 0UL)]
    [InlineData(8L, 3, 1UL)]
    [InlineData(25_000L, 3, 3125UL)]
    [InlineData(25_000L, 0, 25_000UL)]
    [InlineData(1_048_576L, 20, 1UL)]
    public void Encode_ScalesMicrosecondsByExponent(long microseconds, int exponent, ulong expected)
    {
        Assert.Equal(expected, AckDelay.Encode(TimeSpan.FromMicroseconds(microseconds), exponent));
    }

    [Fact]
    public void Decode_InvertsEncodeToExponentResolution()
    {
        TimeSpan delay = TimeSpan.FromMicroseconds(25_003);
        ulong field = AckDelay.Encode(delay, AckDelay.DefaultExponent);

        Assert.Equal(TimeSpan.FromMicroseconds(25_000), AckDelay.Decode(field, AckDelay.DefaultExponent));
    }

    [Fact]
    public void Decode_SaturatesHostileValues()
    {
        Assert.Equal(TimeSpan.MaxValue, AckDelay.Decode((1UL << 62) - 1, 20));
        Assert.Equal(TimeSpan.Zero, AckDelay.Decode(0, 20));
        Assert.Equal(0UL, AckDelay.Encode(TimeSpan.FromMilliseconds(-5), 3));
    }

    [Fact]
    public void InvalidExponent_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AckDelay.Encode(TimeSpan.Zero, 21));
        Assert.Throws<ArgumentOutOfRangeException>(() => AckDelay.Decode(0, -1));
    }
}
