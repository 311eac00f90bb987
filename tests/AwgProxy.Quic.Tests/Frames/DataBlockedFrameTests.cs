using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Tests.Frames;

public class DataBlockedFrameTests
{
    [Fact]
    public void KnownEncoding_Parses()
    {
        byte[] encoding = FrameAssert.Hex("14 7f ff");
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(DataBlockedFrame.TryParse(ref reader, FrameType.DataBlocked, out DataBlockedFrame frame));
        Assert.Equal(16383UL, frame.MaximumData);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(16384UL)]
    [InlineData(VarInt.MaxValue)]
    public void Write_ProducesLengthBytes_AndRoundTrips(ulong maximum)
    {
        var frame = new DataBlockedFrame(maximum);
        byte[] buffer = new byte[frame.Length + 4];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(frame.Length, writer.Position);
        byte[] encoding = buffer[..writer.Position];
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(DataBlockedFrame.TryParse(ref reader, FrameType.DataBlocked, out DataBlockedFrame parsed));
        Assert.Equal(frame, parsed);
        FrameAssert.EveryTruncationFails(encoding, (ref SpanReader r, FrameType t) => DataBlockedFrame.TryParse(ref r, t, out _));
        Assert.Equal(FrameType.DataBlocked, FrameAssert.ReadSingleType(encoding));
    }
}
