using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Tests.Frames;

public class StreamFrameTests
{
    [Fact]
    public void KnownEncoding_WithAllFields_Parses()
    {
        // Type 0x0f: OFF, LEN and FIN; stream 4, offset 0x1000, 3 bytes.
        byte[] encoding = FrameAssert.Hex("0f 04 50 00 03 616263");
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(StreamFrame.TryParse(ref reader, (FrameType)0x0f, out StreamFrame frame));
        Assert.Equal(4UL, frame.StreamId);
        Assert.Equal(0x1000UL, frame.Offset);
        Assert.Equal("abc"u8.ToArray(), frame.Data.ToArray());
        Assert.True(frame.Fin);
        Assert.True(frame.HasLength);
        Assert.Equal(0x1003UL, frame.EndOffset);
        FrameAssert.EveryTruncationFails(encoding, (ref SpanReader r, FrameType t) => StreamFrame.TryParse(ref r, t, out _));
    }

    [Fact]
    public void WithoutLength_DataRunsToTheEndOfThePacket()
    {
        byte[] encoding = FrameAssert.Hex("08 00 68656c6c6f");
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(StreamFrame.TryParse(ref reader, FrameType.Stream, out StreamFrame frame));
        Assert.Equal(0UL, frame.StreamId);
        Assert.Equal(0UL, frame.Offset);
        Assert.False(frame.Fin);
        Assert.False(frame.HasLength);
        Assert.Equal("hello"u8.ToArray(), frame.Data.ToArray());
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void WithoutLength_EmptyBody_Fails()
    {
        var reader = new SpanReader([]);
        Assert.False(StreamFrame.TryParse(ref reader, FrameType.Stream, out _));
    }

    [Theory]
    [InlineData(0UL, 0UL, 0, false, true)]
    [InlineData(4UL, 0UL, 10, true, true)]
    [InlineData(8UL, 100UL, 64, false, true)]
    [InlineData(1UL << 20, 1UL << 40, 300, true, true)]
    [InlineData(3UL, 7UL, 5, true, false)]
    [InlineData(3UL, 0UL, 0, true, false)]
    public void Write_ProducesLengthBytes_AndRoundTrips(ulong streamId, ulong offset, int dataLength, bool fin, bool hasLength)
    {
        byte[] data = Enumerable.Range(0, dataLength).Select(i => (byte)(i + 1)).ToArray();
        var frame = new StreamFrame(streamId, offset, data, fin, hasLength);
        byte[] buffer = new byte[frame.Length];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(frame.Length, writer.Position);
        Assert.Equal((byte)frame.Type, buffer[0]);
        Assert.Equal(offset != 0, (buffer[0] & StreamFrame.OffBit) != 0);
        var reader = FrameAssert.ReaderAfterType(buffer);
        Assert.True(StreamFrame.TryParse(ref reader, frame.Type, out StreamFrame parsed));
        Assert.Equal(streamId, parsed.StreamId);
        Assert.Equal(offset, parsed.Offset);
        Assert.Equal(fin, parsed.Fin);
        Assert.Equal(hasLength, parsed.HasLength);
        Assert.Equal(data, parsed.Data.ToArray());
        Assert.Equal(0, reader.Remaining);
        if (hasLength)
        {
            FrameAssert.EveryTruncationFails(buffer, (ref SpanReader r, FrameType t) => StreamFrame.TryParse(ref r, t, out _));
        }

        Assert.Equal(FrameType.Stream, FrameAssert.ReadSingleType(buffer));
    }

    [Fact]
    public void OffsetPlusLengthAbove2Pow62_IsRejected()
    {
        byte[] body = new byte[16];
        var writer = new SpanWriter(body);
        writer.WriteVarInt(0);
        writer.WriteVarInt(VarInt.MaxValue);
        writer.WriteByte(0xaa);
        var reader = new SpanReader(body.AsSpan(0, writer.Position));
        Assert.False(StreamFrame.TryParse(ref reader, (FrameType)(0x08 | StreamFrame.OffBit), out _));
        Assert.Equal(0, reader.Position);
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamFrame(0, VarInt.MaxValue, new byte[1], fin: false));
    }

    [Theory]
    [InlineData(1200, 0UL, 0UL, 100000, true)]
    [InlineData(1200, 0UL, 0UL, 100000, false)]
    [InlineData(1200, 1UL << 40, 1UL << 35, 50, true)]
    [InlineData(67, 4UL, 0UL, 100000, true)]
    [InlineData(68, 4UL, 0UL, 100000, true)]
    [InlineData(69, 4UL, 0UL, 100000, true)]
    [InlineData(16390, 4UL, 99UL, 100000, true)]
    [InlineData(3, 4UL, 0UL, 100, true)]
    public void GetMaxDataLength_FillsTheRoomWithoutOverflow(int room, ulong streamId, ulong offset, int available, bool withLength)
    {
        int fit = StreamFrame.GetMaxDataLength(room, streamId, offset, available, withLength);
        Assert.InRange(fit, 0, available);
        Assert.True(new StreamFrame(streamId, offset, new byte[fit], fin: false, withLength).Length <= room);
        if (fit < available)
        {
            Assert.True(new StreamFrame(streamId, offset, new byte[fit + 1], fin: false, withLength).Length > room, "one more byte must not fit");
        }

        if (!withLength && fit < available)
        {
            Assert.Equal(room, new StreamFrame(streamId, offset, new byte[fit], fin: false, withLength).Length);
        }
    }

    [Fact]
    public void GetMaxDataLength_HeaderDoesNotFit_ReturnsMinusOne()
    {
        Assert.Equal(-1, StreamFrame.GetMaxDataLength(2, 1UL << 20, 0, 10));
        Assert.Equal(-1, StreamFrame.GetMaxDataLength(4, 4, 1UL << 20, 10, withLength: false));
    }
}
