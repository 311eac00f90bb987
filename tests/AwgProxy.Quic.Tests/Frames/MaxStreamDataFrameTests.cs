using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Tests.Frames;

public class MaxStreamDataFrameTests
{
    [Fact]
    public void KnownEncoding_Parses()
    {
        byte[] encoding = FrameAssert.Hex("11 02 80 01 00 00");
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(MaxStreamDataFrame.TryParse(ref reader, FrameType.MaxStreamData, out MaxStreamDataFrame frame));
        Assert.Equal(new MaxStreamDataFrame(2, 65536), frame);
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(4UL, 1UL << 20)]
    [InlineData(VarInt.MaxValue, VarInt.MaxValue)]
    public void Write_ProducesLengthBytes_AndRoundTrips(ulong streamId, ulong maximum)
    {
        var frame = new MaxStreamDataFrame(streamId, maximum);
        byte[] buffer = new byte[frame.Length + 4];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(frame.Length, writer.Position);
        byte[] encoding = buffer[..writer.Position];
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(MaxStreamDataFrame.TryParse(ref reader, FrameType.MaxStreamData, out MaxStreamDataFrame parsed));
        Assert.Equal(frame, parsed);
        FrameAssert.EveryTruncationFails(encoding, (ref SpanReader r, FrameType t) => MaxStreamDataFrame.TryParse(ref r, t, out _));
        Assert.Equal(FrameType.MaxStreamData, FrameAssert.ReadSingleType(encoding));
    }
}
