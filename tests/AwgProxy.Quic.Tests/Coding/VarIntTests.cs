using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Tests.Coding;

public class VarIntTests
{
    // RFC 9000 appendix A.1 examples.
    [Theory]
    [InlineData("c2197c5eff14e88c", 151288809941952652UL)]
    [InlineData("9d7f3e7d", 494878333UL)]
    [InlineData("7bbd", 15293UL)]
    [InlineData("25", 37UL)]
    [InlineData("4025", 37UL)]
    public void Rfc9000Examples_Decode(string hex, ulong expected)
    {
        byte[] bytes = Convert.FromHexString(hex);
        Assert.True(VarInt.TryRead(bytes, out ulong value, out int consumed));
        Assert.Equal(expected, value);
        Assert.Equal(bytes.Length, consumed);
    }

    [Theory]
    [InlineData(0UL, 1)]
    [InlineData(63UL, 1)]
    [InlineData(64UL, 2)]
    [InlineData(16383UL, 2)]
    [InlineData(16384UL, 4)]
    [InlineData(1073741823UL, 4)]
    [InlineData(1073741824UL, 8)]
    [InlineData(VarInt.MaxValue, 8)]
    public void EncodingBoundaries_RoundTrip(ulong value, int expectedLength)
    {
        Assert.Equal(expectedLength, VarInt.GetLength(value));
        Span<byte> buffer = stackalloc byte[8];
        Assert.True(VarInt.TryWrite(buffer, value, out int written));
        Assert.Equal(expectedLength, written);
        Assert.True(VarInt.TryRead(buffer[..written], out ulong read, out int consumed));
        Assert.Equal(value, read);
        Assert.Equal(written, consumed);
        for (int prefix = 0; prefix < written; prefix++)
        {
            Assert.False(VarInt.TryRead(buffer[..prefix], out _, out int none));
            Assert.Equal(0, none);
        }
    }

    [Fact]
    public void ValueAboveMax_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VarInt.GetLength(VarInt.MaxValue + 1));
    }

    [Fact]
    public void ForcedLength_WritesNonMinimalEncoding()
    {
        Span<byte> buffer = stackalloc byte[8];
        Assert.True(VarInt.TryWrite(buffer, 37, 2, out int written));
        Assert.Equal("4025", Convert.ToHexStringLower(buffer[..written]));
        Assert.Throws<ArgumentOutOfRangeException>(() => VarInt.TryWrite(new byte[8], 64, 1, out _));
    }

    [Fact]
    public void Reader_LengthPrefixed_ConsumesNothingOnShortInput()
    {
        byte[] bytes = [0x05, 1, 2, 3];
        var reader = new SpanReader(bytes);
        Assert.False(reader.TryReadVarIntLengthPrefixed(out _));
        Assert.Equal(0, reader.Position);
        Assert.False(reader.TryReadBytes(ulong.MaxValue, out _));
        Assert.Equal(0, reader.Position);
    }
}
