using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Tests.Frames;

public class StreamDataBlockedFrameTests
{
    [Fact]
    public void KnownEncoding_Parses()
    {
        byte[] encoding = FrameAssert.Hex("15 01 20");
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(StreamDataBlockedFrame.TryParse(ref reader, FrameType.StreamDataBlocked, out StreamDataBlockedFrame frame));
        Assert.Equal(new StreamDataBlockedFrame(1, 32), frame);
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(7UL, 1UL << 33)]
    [InlineData(VarInt.MaxValue, VarInt.MaxValue)]
    public void Write_ProducesLengthBytes_AndRoundTrips(ulong streamId, ulong maximum)
    {
        var frame = new StreamDataBlockedFrame(streamId, maximum);
        byte[] buffer = new byte[frame.Length + 4];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(frame.Length, writer.Position);
        byte[] encoding = buffer[..writer.Position];
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(StreamDataBlockedFrame.TryParse(ref reader, FrameType.StreamDataBlocked, out StreamDataBlockedFrame parsed));
        Assert.Equal(frame, parsed);
        FrameAssert.EveryTruncationFails(encoding, (ref SpanReader r, FrameType t) => StreamDataBlockedFrame.TryParse(ref r, t, out _));
        Assert.Equal(FrameType.StreamDataBlocked, FrameAssert.ReadSingleType(encoding));
    }
}
