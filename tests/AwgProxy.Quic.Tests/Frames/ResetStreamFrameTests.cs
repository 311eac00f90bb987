using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Tests.Frames;

public class ResetStreamFrameTests
{
    [Fact]
    public void KnownEncoding_Parses()
    {
        byte[] encoding = FrameAssert.Hex("04 04 41 00 80 00 10 00");
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(ResetStreamFrame.TryParse(ref reader, FrameType.ResetStream, out ResetStreamFrame frame));
        Assert.Equal(new ResetStreamFrame(4, 0x100, 0x1000), frame);
        Assert.Equal(0, reader.Remaining);
    }

    [Theory]
    [InlineData(0UL, 0UL, 0UL)]
    [InlineData(3UL, 0x1234UL, 1UL << 40)]
    [InlineData(VarInt.MaxValue, VarInt.MaxValue, VarInt.MaxValue)]
    public void Write_ProducesLengthBytes_AndRoundTrips(ulong streamId, ulong errorCode, ulong finalSize)
    {
        var frame = new ResetStreamFrame(streamId, errorCode, finalSize);
        byte[] buffer = new byte[frame.Length + 4];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(frame.Length, writer.Position);
        byte[] encoding = buffer[..writer.Position];
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(ResetStreamFrame.TryParse(ref reader, FrameType.ResetStream, out ResetStreamFrame parsed));
        Assert.Equal(frame, parsed);
        FrameAssert.EveryTruncationFails(encoding, (ref SpanReader r, FrameType t) => ResetStreamFrame.TryParse(ref r, t, out _));
        Assert.Equal(FrameType.ResetStream, FrameAssert.ReadSingleType(encoding));
    }
}
