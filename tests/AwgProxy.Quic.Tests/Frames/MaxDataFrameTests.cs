using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Tests.Frames;

public class MaxDataFrameTests
{
    [Fact]
    public void KnownEncoding_Parses()
    {
        byte[] encoding = FrameAssert.Hex("10 80 01 e2 40"); // 123456 as a 4-byte varint
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(MaxDataFrame.TryParse(ref reader, FrameType.MaxData, out MaxDataFrame frame));
        Assert.Equal(123456UL, frame.MaximumData);
        Assert.Equal(0, reader.Remaining);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(63UL)]
    [InlineData(64UL)]
    [InlineData(VarInt.MaxValue)]
    public void Write_ProducesLengthBytes_AndRoundTrips(ulong value)
    {
        var frame = new MaxDataFrame(value);
        byte[] buffer = new byte[frame.Length + 4];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(frame.Length, writer.Position);
        byte[] encoding = buffer[..writer.Position];
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(MaxDataFrame.TryParse(ref reader, FrameType.MaxData, out MaxDataFrame parsed));
        Assert.Equal(frame, parsed);
        FrameAssert.EveryTruncationFails(encoding, (ref SpanReader r, FrameType t) => MaxDataFrame.TryParse(ref r, t, out _));
        Assert.Equal(FrameType.MaxData, FrameAssert.ReadSingleType(encoding));
    }
}
