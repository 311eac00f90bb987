using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Tests.Frames;

public class FrameRulesTests
{
    [Theory]
    [InlineData(FrameType.Padding, false, true, true)]
    [InlineData(FrameType.Ping, true, true, false)]
    [InlineData(FrameType.Ack, false, false, false)]
    [InlineData(FrameType.AckEcn, false, false, false)]
    [InlineData(FrameType.Crypto, true, true, false)]
    [InlineData(FrameType.Stream, true, true, false)]
    [InlineData((FrameType)0x0f, true, true, false)]
    [InlineData(FrameType.NewConnectionId, true, true, true)]
    [InlineData(FrameType.PathChallenge, true, true, true)]
    [InlineData(FrameType.PathResponse, true, true, true)]
    [InlineData(FrameType.ConnectionClose, false, false, false)]
    [InlineData(FrameType.ConnectionCloseApplication, false, false, false)]
    [InlineData(FrameType.HandshakeDone, true, true, false)]
    [InlineData(FrameType.DatagramWithLength, true, true, false)]
    public void Properties_MatchRfc9000And9002(FrameType type, bool ackEliciting, bool inFlight, bool probing)
    {
        Assert.True(FrameRules.IsKnown(type));
        Assert.Equal(ackEliciting, FrameRules.IsAckEliciting(type));
        Assert.Equal(inFlight, FrameRules.CountsTowardBytesInFlight(type));
        Assert.Equal(probing, FrameRules.IsProbing(type));
    }

    [Theory]
    [InlineData(0x1fUL)]
    [InlineData(0x20UL)]
    [InlineData(0x2fUL)]
    [InlineData(0x32UL)]
    [InlineData(0x40UL)]
    [InlineData(ulong.MaxValue)]
    public void UnknownTypes_AreUnknownAndNeverAllowed(ulong type)
    {
        Assert.False(FrameRules.IsKnown(type));
        Assert.False(FrameRules.IsAllowedIn((FrameType)type, PacketType.OneRtt));
        Assert.False(FrameRules.IsAckEliciting((FrameType)type));
    }

    [Fact]
    public void OnlyNewTokenAndHandshakeDone_AreServerOnly()
    {
        for (ulong type = 0; type < 0x40; type++)
        {
            bool expected = type is 0x07 or 0x1e;
            Assert.Equal(expected, FrameRules.IsSentOnlyByServer((FrameType)type));
        }
    }
}
