using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Tests.Frames;

public class CryptoFrameTests
{
    [Fact]
    public void KnownEncoding_Parses()
    {
        // The start of the CRYPTO frame in the RFC 9001 appendix A client Initial: offset 0, 241 bytes.
        byte[] encoding = FrameAssert.Hex("06 00 40f1" + new string('a', 2 * 241));
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(CryptoFrame.TryParse(ref reader, FrameType.Crypto, out CryptoFrame frame));
        Assert.Equal(0UL, frame.Offset);
        Assert.Equal(241, frame.Data.Length);
        Assert.Equal(241UL, frame.EndOffset);
        FrameAssert.EveryTruncationFails(encoding, (ref SpanReader r, FrameType t) => CryptoFrame.TryParse(ref r, t, out _));
    }

    [Theory]
    [InlineData(0UL, 0)]
    [InlineData(1000UL, 63)]
    [InlineData(1UL << 30, 64)]
    [InlineData(VarInt.MaxValue - 5, 5)]
    public void Write_ProducesLengthBytes_AndRoundTrips(ulong offset, int dataLength)
    {
        byte[] data = Enumerable.Range(0, dataLength).Select(i => (byte)i).ToArray();
        var frame = new CryptoFrame(offset, data);
        byte[] buffer = new byte[frame.Length + 4];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(frame.Length, writer.Position);
        byte[] encoding = buffer[..writer.Position];
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(CryptoFrame.TryParse(ref reader, FrameType.Crypto, out CryptoFrame parsed));
        Assert.Equal(offset, parsed.Offset);
        Assert.Equal(data, parsed.Data.ToArray());
        FrameAssert.EveryTruncationFails(encoding, (ref SpanReader r, FrameType t) => CryptoFrame.TryParse(ref r, t, out _));
        Assert.Equal(FrameType.Crypto, FrameAssert.ReadSingleType(encoding));
    }

    [Fact]
    public void OffsetPlusLengthAbove2Pow62_IsRejected()
    {
        byte[] body = new byte[16];
        var writer = new SpanWriter(body);
        writer.WriteVarInt(VarInt.MaxValue);
        writer.WriteVarInt(1);
        writer.WriteByte(0xaa);
        var reader = new SpanReader(body.AsSpan(0, writer.Position));
        Assert.False(CryptoFrame.TryParse(ref reader, FrameType.Crypto, out _));
        Assert.Equal(0, reader.Position);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CryptoFrame(VarInt.MaxValue, new byte[1]));
    }

    [Theory]
    [InlineData(1200, 0UL, 5000)]
    [InlineData(70, 0UL, 5000)]
    [InlineData(67, 0UL, 5000)]
    [InlineData(66, 0UL, 5000)]
    [InlineData(100, 1UL << 40, 30)]
    [InlineData(20000, 5UL, 16383)]
    [InlineData(16390, 5UL, 20000)]
    public void GetMaxDataLength_FillsTheRoomWithoutOverflow(int room, ulong offset, int available)
    {
        int fit = CryptoFrame.GetMaxDataLength(room, offset, available);
        Assert.InRange(fit, 0, available);
        int length = new CryptoFrame(offset, new byte[fit]).Length;
        Assert.True(length <= room);
        if (fit < available)
        {
            Assert.True(new CryptoFrame(offset, new byte[fit + 1]).Length > room, "one more byte must not fit");
        }
    }

    [Fact]
    public void GetMaxDataLength_NoRoom_ReturnsMinusOne()
    {
        Assert.Equal(-1, CryptoFrame.GetMaxDataLength(2, 0, 10));
        Assert.Equal(0, CryptoFrame.GetMaxDataLength(3, 0, 10));
    }
}
