using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Tests.Frames;

public class RetireConnectionIdFrameTests
{
    [Fact]
    public void KnownEncoding_Parses()
    {
        byte[] encoding = FrameAssert.Hex("19 05");
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(RetireConnectionIdFrame.TryParse(ref reader, FrameType.RetireConnectionId, out RetireConnectionIdFrame frame));
        Assert.Equal(5UL, frame.SequenceNumber);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL << 31)]
    [InlineData(VarInt.MaxValue)]
    public void Write_ProducesLengthBytes_AndRoundTrips(ulong sequenceNumber)
    {
        var frame = new RetireConnectionIdFrame(sequenceNumber);
        byte[] buffer = new byte[frame.Length + 4];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(frame.Length, writer.Position);
        byte[] encoding = buffer[..writer.Position];
        FrameAssert.EveryTruncationFails(encoding, (ref SpanReader r, FrameType t) => RetireConnectionIdFrame.TryParse(ref r, t, out _));
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(RetireConnectionIdFrame.TryParse(ref reader, FrameType.RetireConnectionId, out RetireConnectionIdFrame parsed));
        Assert.Equal(frame, parsed);
        Assert.Equal(FrameType.RetireConnectionId, FrameAssert.ReadSingleType(encoding));
    }
}
