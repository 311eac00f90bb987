using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Tests.Frames;

public class NewTokenFrameTests
{
    [Fact]
    public void KnownEncoding_Parses()
    {
        byte[] encoding = FrameAssert.Hex("07 05 746f6b656e");
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(NewTokenFrame.TryParse(ref reader, FrameType.NewToken, out NewTokenFrame frame));
        Assert.Equal("token"u8.ToArray(), frame.Token.ToArray());
        FrameAssert.EveryTruncationFails(encoding, (ref SpanReader r, FrameType t) => NewTokenFrame.TryParse(ref r, t, out _));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(300)]
    public void Write_ProducesLengthBytes_AndRoundTrips(int tokenLength)
    {
        byte[] token = Enumerable.Range(0, tokenLength).Select(i => (byte)(i * 7)).ToArray();
        var frame = new NewTokenFrame(token);
        byte[] buffer = new byte[frame.Length + 4];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(frame.Length, writer.Position);
        byte[] encoding = buffer[..writer.Position];
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(NewTokenFrame.TryParse(ref reader, FrameType.NewToken, out NewTokenFrame parsed));
        Assert.Equal(token, parsed.Token.ToArray());
        Assert.Equal(FrameType.NewToken, FrameAssert.ReadSingleType(encoding));
    }

    [Fact]
    public void EmptyToken_IsRejected()
    {
        var reader = new SpanReader([0x00]);
        Assert.False(NewTokenFrame.TryParse(ref reader, FrameType.NewToken, out _));
        Assert.Equal(0, reader.Position);
        Assert.Throws<ArgumentException>(() => new NewTokenFrame([]));
    }
}
