using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Tests.Frames;

public class PathChallengeFrameTests
{
    [Fact]
    public void KnownEncoding_Parses()
    {
        byte[] encoding = FrameAssert.Hex("1a 01 02 03 04 05 06 07 08");
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(PathChallengeFrame.TryParse(ref reader, FrameType.PathChallenge, out PathChallengeFrame frame));
        Assert.Equal(0x0102030405060708UL, frame.Data);
        FrameAssert.EveryTruncationFails(encoding, (ref SpanReader r, FrameType t) => PathChallengeFrame.TryParse(ref r, t, out _));
    }

    [Fact]
    public void Write_ProducesLengthBytes_AndRoundTrips()
    {
        var frame = new PathChallengeFrame(0xdeadbeef_cafef00dUL);
        byte[] buffer = new byte[frame.Length + 4];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(9, writer.Position);
        Assert.Equal(frame.Length, writer.Position);
        Assert.Equal("1adeadbeefcafef00d", Convert.ToHexStringLower(buffer[..9]));
        Assert.Equal(FrameType.PathChallenge, FrameAssert.ReadSingleType(buffer[..9]));
    }
}
