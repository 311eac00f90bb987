using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Tests.Frames;

/// <summary>PING, HANDSHAKE_DONE and PADDING: frames with no fields.</summary>
public class SimpleFrameTests
{
    [Fact]
    public void Ping_IsOneByte_AndParsesFromNothing()
    {
        var frame = default(PingFrame);
        byte[] buffer = new byte[4];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(1, frame.Length);
        Assert.Equal(1, writer.Position);
        Assert.Equal(0x01, buffer[0]);
        var reader = new SpanReader([]);
        Assert.True(PingFrame.TryParse(ref reader, FrameType.Ping, out _));
        Assert.Equal(FrameType.Ping, FrameAssert.ReadSingleType(buffer[..1]));
    }

    [Fact]
    public void HandshakeDone_IsOneByte()
    {
        var frame = default(HandshakeDoneFrame);
        byte[] buffer = new byte[1];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(1, frame.Length);
        Assert.Equal(0x1e, buffer[0]);
        Assert.Equal(FrameType.HandshakeDone, FrameAssert.ReadSingleType(buffer));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(1162)]
    public void Padding_WritesCountZeros_AndParsesTheWholeRun(int count)
    {
        var frame = new PaddingFrame(count);
        byte[] buffer = Enumerable.Repeat((byte)0xff, count + 2).ToArray();
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(count, frame.Length);
        Assert.Equal(count, writer.Position);
        Assert.All(buffer[..count], b => Assert.Equal(0, b));

        // Parsing starts after the first zero and stops at the first non-zero byte.
        buffer[count] = 0x01;
        var reader = new SpanReader(buffer.AsSpan(1));
        Assert.True(PaddingFrame.TryParse(ref reader, FrameType.Padding, out PaddingFrame parsed));
        Assert.Equal(count, parsed.Count);
        Assert.Equal(count - 1, reader.Position);
    }

    [Fact]
    public void Padding_NegativeCount_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PaddingFrame(-1));
    }
}
