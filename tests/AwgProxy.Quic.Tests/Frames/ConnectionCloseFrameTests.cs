using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Tests.Frames;

public class ConnectionCloseFrameTests
{
    [Fact]
    public void Transport_KnownEncoding_Parses()
    {
        byte[] encoding = FrameAssert.Hex("1c 07 06 03 626164");
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(ConnectionCloseFrame.TryParse(ref reader, FrameType.ConnectionClose, out ConnectionCloseFrame frame));
        Assert.False(frame.IsApplicationError);
        Assert.Equal(TransportErrorCode.FRAME_ENCODING_ERROR, frame.TransportErrorCode);
        Assert.Equal(0x06UL, frame.TriggeringFrameType);
        Assert.Equal("bad"u8.ToArray(), frame.ReasonPhrase.ToArray());
        FrameAssert.EveryTruncationFails(encoding, (ref SpanReader r, FrameType t) => ConnectionCloseFrame.TryParse(ref r, t, out _));
    }

    [Fact]
    public void Application_KnownEncoding_HasNoFrameTypeField()
    {
        byte[] encoding = FrameAssert.Hex("1d 41 00 00");
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(ConnectionCloseFrame.TryParse(ref reader, FrameType.ConnectionCloseApplication, out ConnectionCloseFrame frame));
        Assert.True(frame.IsApplicationError);
        Assert.Equal(0x100UL, frame.ErrorCode);
        Assert.Equal(0, frame.ReasonPhrase.Length);
        FrameAssert.EveryTruncationFails(encoding, (ref SpanReader r, FrameType t) => ConnectionCloseFrame.TryParse(ref r, t, out _));
    }

    [Fact]
    public void Transport_Write_ProducesLengthBytes_AndRoundTrips()
    {
        var frame = ConnectionCloseFrame.Transport(TransportErrorCode.PROTOCOL_VIOLATION, 0x1e, "handshake done from client"u8);
        byte[] buffer = new byte[frame.Length];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(frame.Length, writer.Position);
        Assert.Equal(0x1c, buffer[0]);
        var reader = FrameAssert.ReaderAfterType(buffer);
        Assert.True(ConnectionCloseFrame.TryParse(ref reader, FrameType.ConnectionClose, out ConnectionCloseFrame parsed));
        Assert.Equal(TransportErrorCode.PROTOCOL_VIOLATION, parsed.TransportErrorCode);
        Assert.Equal(0x1eUL, parsed.TriggeringFrameType);
        Assert.Equal("handshake done from client"u8.ToArray(), parsed.ReasonPhrase.ToArray());
    }

    [Fact]
    public void Application_Write_ProducesLengthBytes_AndRoundTrips()
    {
        var frame = ConnectionCloseFrame.Application(VarInt.MaxValue, new byte[200]);
        byte[] buffer = new byte[frame.Length];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(frame.Length, writer.Position);
        Assert.Equal(0x1d, buffer[0]);
        var reader = FrameAssert.ReaderAfterType(buffer);
        Assert.True(ConnectionCloseFrame.TryParse(ref reader, FrameType.ConnectionCloseApplication, out ConnectionCloseFrame parsed));
        Assert.True(parsed.IsApplicationError);
        Assert.Equal(VarInt.MaxValue, parsed.ErrorCode);
        Assert.Equal(200, parsed.ReasonPhrase.Length);
    }

    [Theory]
    [InlineData(1000, 200)]
    [InlineData(100, 95)]
    [InlineData(70, 65)]
    [InlineData(6, 2)]
    [InlineData(4, 0)]
    public void WithReasonTruncated_FitsTheRoom(int room, int expectedReason)
    {
        var frame = ConnectionCloseFrame.Transport(TransportErrorCode.INTERNAL_ERROR, 0, new byte[200]);
        ConnectionCloseFrame cut = frame.WithReasonTruncated(room);
        Assert.Equal(expectedReason, cut.ReasonPhrase.Length);
        Assert.True(cut.Length <= room);
    }
}
