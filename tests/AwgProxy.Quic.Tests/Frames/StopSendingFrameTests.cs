using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Tests.Frames;

public class StopSendingFrameTests
{
    [Fact]
    public void KnownEncoding_Parses()
    {
        byte[] encoding = FrameAssert.Hex("05 08 40 99");
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(StopSendingFrame.TryParse(ref reader, FrameType.StopSending, out StopSendingFrame frame));
        Assert.Equal(new StopSendingFrame(8, 0x99), frame);
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(1000UL, 77UL)]
    [InlineData(VarInt.MaxValue, VarInt.MaxValue)]
    public void Write_ProducesLengthBytes_AndRoundTrips(ulong streamId, ulong errorCode)
    {
        var frame = new StopSendingFrame(streamId, errorCode);
        byte[] buffer = new byte[frame.Length + 4];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(frame.Length, writer.Position);
        byte[] encoding = buffer[..writer.Position];
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(StopSendingFrame.TryParse(ref reader, FrameType.StopSending, out StopSendingFrame parsed));
        Assert.Equal(frame, parsed);
        FrameAssert.EveryTruncationFails(encoding, (ref SpanReader r, FrameType t) => StopSendingFrame.TryParse(ref r, t, out _));
        Assert.Equal(FrameType.StopSending, FrameAssert.ReadSingleType(encoding));
    }
}
