using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Tests.Frames;

public class DatagramFrameTests
{
    [Fact]
    public void WithLength_KnownEncoding_Parses()
    {
        byte[] encoding = FrameAssert.Hex("31 02 abcd");
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(DatagramFrame.TryParse(ref reader, FrameType.DatagramWithLength, out DatagramFrame frame));
        Assert.True(frame.HasLength);
        Assert.Equal(new byte[] { 0xab, 0xcd }, frame.Data.ToArray());
        FrameAssert.EveryTruncationFails(encoding, (ref SpanReader r, FrameType t) => DatagramFrame.TryParse(ref r, t, out _));
    }

    [Fact]
    public void WithoutLength_TakesTheRestOfThePacket()
    {
        byte[] encoding = FrameAssert.Hex("30 010203");
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(DatagramFrame.TryParse(ref reader, FrameType.Datagram, out DatagramFrame frame));
        Assert.False(frame.HasLength);
        Assert.Equal(3, frame.Data.Length);
        Assert.Equal(0, reader.Remaining);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(100, true)]
    [InlineData(1000, false)]
    public void Write_ProducesLengthBytes_AndRoundTrips(int dataLength, bool hasLength)
    {
        byte[] data = Enumerable.Range(0, dataLength).Select(i => (byte)(255 - i)).ToArray();
        var frame = new DatagramFrame(data, hasLength);
        byte[] buffer = new byte[frame.Length];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(frame.Length, writer.Position);
        var reader = FrameAssert.ReaderAfterType(buffer);
        Assert.True(DatagramFrame.TryParse(ref reader, frame.Type, out DatagramFrame parsed));
        Assert.Equal(data, parsed.Data.ToArray());
        Assert.Equal(hasLength, parsed.HasLength);
        Assert.Equal(frame.Type, FrameAssert.ReadSingleType(buffer));
    }

    [Theory]
    [InlineData(1200, 5000, true)]
    [InlineData(1200, 5000, false)]
    [InlineData(66, 5000, true)]
    [InlineData(1, 5000, true)]
    public void GetMaxDataLength_FillsTheRoomWithoutOverflow(int room, int available, bool withLength)
    {
        int fit = DatagramFrame.GetMaxDataLength(room, available, withLength);
        Assert.True(fit < 0 || new DatagramFrame(new byte[fit], withLength).Length <= room);
        if (fit >= 0 && fit < available)
        {
            Assert.True(new DatagramFrame(new byte[fit + 1], withLength).Length > room);
        }
    }
}
