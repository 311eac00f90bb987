using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Tests.Frames;

public class StreamsBlockedFrameTests
{
    [Theory]
    [InlineData("16 0a", true, 10UL)]
    [InlineData("17 80 00 40 00", false, 16384UL)]
    public void KnownEncoding_Parses(string hex, bool bidirectional, ulong maximum)
    {
        byte[] encoding = FrameAssert.Hex(hex);
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(StreamsBlockedFrame.TryParse(ref reader, (FrameType)encoding[0], out StreamsBlockedFrame frame));
        Assert.Equal(bidirectional, frame.Bidirectional);
        Assert.Equal(maximum, frame.MaximumStreams);
    }

    [Theory]
    [InlineData(true, 0UL)]
    [InlineData(false, 1UL << 40)]
    [InlineData(false, MaxStreamsFrame.MaxCount)]
    public void Write_ProducesLengthBytes_AndRoundTrips(bool bidirectional, ulong maximum)
    {
        var frame = new StreamsBlockedFrame(bidirectional, maximum);
        byte[] buffer = new byte[frame.Length + 4];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(frame.Length, writer.Position);
        byte[] encoding = buffer[..writer.Position];
        Assert.Equal(bidirectional ? 0x16 : 0x17, encoding[0]);
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(StreamsBlockedFrame.TryParse(ref reader, frame.Type, out StreamsBlockedFrame parsed));
        Assert.Equal(frame, parsed);
        FrameAssert.EveryTruncationFails(encoding, (ref SpanReader r, FrameType t) => StreamsBlockedFrame.TryParse(ref r, t, out _));
        Assert.Equal(frame.Type, FrameAssert.ReadSingleType(encoding));
    }

    [Fact]
    public void CountAbove2Pow60_IsRejected()
    {
        byte[] body = new byte[8];
        var writer = new SpanWriter(body);
        writer.WriteVarInt(MaxStreamsFrame.MaxCount + 1);
        var reader = new SpanReader(body);
        Assert.False(StreamsBlockedFrame.TryParse(ref reader, FrameType.StreamsBlockedUni, out _));
        Assert.Equal(0, reader.Position);
    }
}
