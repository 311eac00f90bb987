using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Tests.Frames;

public class MaxStreamsFrameTests
{
    [Theory]
    [InlineData("12 40 64", true, 100UL)]
    [InlineData("13 05", false, 5UL)]
    public void KnownEncoding_Parses(string hex, bool bidirectional, ulong maximum)
    {
        byte[] encoding = FrameAssert.Hex(hex);
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(MaxStreamsFrame.TryParse(ref reader, (FrameType)encoding[0], out MaxStreamsFrame frame));
        Assert.Equal(bidirectional, frame.Bidirectional);
        Assert.Equal(maximum, frame.MaximumStreams);
    }

    [Theory]
    [InlineData(true, 0UL)]
    [InlineData(false, 1000UL)]
    [InlineData(true, MaxStreamsFrame.MaxCount)]
    public void Write_ProducesLengthBytes_AndRoundTrips(bool bidirectional, ulong maximum)
    {
        var frame = new MaxStreamsFrame(bidirectional, maximum);
        byte[] buffer = new byte[frame.Length + 4];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(frame.Length, writer.Position);
        byte[] encoding = buffer[..writer.Position];
        Assert.Equal(bidirectional ? 0x12 : 0x13, encoding[0]);
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(MaxStreamsFrame.TryParse(ref reader, frame.Type, out MaxStreamsFrame parsed));
        Assert.Equal(frame, parsed);
        FrameAssert.EveryTruncationFails(encoding, (ref SpanReader r, FrameType t) => MaxStreamsFrame.TryParse(ref r, t, out _));
        Assert.Equal(frame.Type, FrameAssert.ReadSingleType(encoding));
    }

    [Fact]
    public void CountAbove2Pow60_IsRejected()
    {
        byte[] body = new byte[8];
        var writer = new SpanWriter(body);
        writer.WriteVarInt(MaxStreamsFrame.MaxCount + 1);
        var reader = new SpanReader(body);
        Assert.False(MaxStreamsFrame.TryParse(ref reader, FrameType.MaxStreamsBidi, out _));
        Assert.Equal(0, reader.Position);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxStreamsFrame(true, MaxStreamsFrame.MaxCount + 1));
    }
}
