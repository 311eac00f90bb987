using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Tests.Frames;

public class PathResponseFrameTests
{
    [Fact]
    public void KnownEncoding_Parses()
    {
        byte[] encoding = FrameAssert.Hex("1b ff ee dd cc bb aa 99 88");
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(PathResponseFrame.TryParse(ref reader, FrameType.PathResponse, out PathResponseFrame frame));
        Assert.Equal(0xffeeddccbbaa9988UL, frame.Data);
        FrameAssert.EveryTruncationFails(encoding, (ref SpanReader r, FrameType t) => PathResponseFrame.TryParse(ref r, t, out _));
    }

    [Fact]
    public void Write_EchoesChallengeData()
    {
        var challenge = new PathChallengeFrame(42);
        var frame = new PathResponseFrame(challenge.Data);
        byte[] buffer = new byte[frame.Length];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(frame.Length, writer.Position);
        Assert.Equal("1b000000000000002a", Convert.ToHexStringLower(buffer));
        Assert.Equal(FrameType.PathResponse, FrameAssert.ReadSingleType(buffer));
    }
}
