using AwgProxy.Interop.Protocols;
using AwgProxy.Interop.Tests.Support;

namespace AwgProxy.Interop.Tests.Protocols;

public class InteropPatternTests
{
    [Theory]
    [InlineData(0L, 0)]
    [InlineData(250L, 250)]
    [InlineData(251L, 0)]
    [InlineData(65535L, 65535 % 251)]
    [InlineData(65536L, 0)]
    [InlineData(65537L, 1)]
    [InlineData(1L << 30, 0)]
    [InlineData((1L << 30) + 300, 300 % 251)]
    public void At_IsIModulo65536Modulo251(long offset, int expected)
    {
        Assert.Equal((byte)expected, InteropPattern.At(offset));
    }

    [Fact]
    public void Fill_MatchesIndependentComputationAcrossPeriodBoundaries()
    {
        byte[] expected = PatternReference.Bytes(3 * 65536 + 17);
        byte[] actual = new byte[expected.Length - 1000];
        InteropPattern.Fill(actual, 1000);
        Assert.Equal(expected.AsSpan(1000).ToArray(), actual);
    }

    [Fact]
    public void Chunk_StopsAtThePeriodBoundary()
    {
        ReadOnlyMemory<byte> chunk = InteropPattern.Chunk(65536 + 65000, 10_000);
        Assert.Equal(536, chunk.Length);
        Assert.Equal(InteropPattern.At(65000), chunk.Span[0]);
        Assert.Equal(7, InteropPattern.Chunk(5, 7).Length);
    }

    [Fact]
    public void FindMismatch_ReportsTheStreamOffsetOfTheFirstWrongByte()
    {
        byte[] data = PatternReference.Bytes(200_000)[100_000..];
        Assert.Equal(-1, InteropPattern.FindMismatch(data, 100_000));
        data[70_000] ^= 1;
        Assert.Equal(170_000, InteropPattern.FindMismatch(data, 100_000));
        Assert.Equal(100_001, InteropPattern.FindMismatch(data, 100_001));
    }
}
