using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Tests.Connections;

public class ConnectionIdSetTests
{
    private static ConnectionId Id(byte value) => new([value, value, value, value, value, value, value, value]);

    private static StatelessResetToken Token(byte value)
    {
        var bytes = new byte[16];
        bytes[0] = value;
        return new StatelessResetToken(bytes);
    }

    [Fact]
    public void RetirePriorTo_RetiresOlderIdsAndSwitchesToAnUnusedOne()
    {
        var ids = new PeerConnectionIdSet(Id(0), limit: 4);
        Assert.Equal(TransportErrorCode.NO_ERROR, ids.OnNewConnectionId(new NewConnectionIdFrame(1, 0, Id(1), Token(1))));
        Assert.Equal(TransportErrorCode.NO_ERROR, ids.OnNewConnectionId(new NewConnectionIdFrame(2, 0, Id(2), Token(2))));
        Assert.Equal(TransportErrorCode.NO_ERROR, ids.OnNewConnectionId(new NewConnectionIdFrame(3, 2, Id(3), Token(3))));

        Assert.Equal(Id(2), ids.Current);
        Assert.True(ids.TryTakeRetire(out ulong first));
        Assert.True(ids.TryTakeRetire(out ulong second));
        Assert.Equal(new ulong[] { 0, 1 }, new[] { first, second }.Order());
        Assert.False(ids.TryTakeRetire(out _));
    }

    [Fact]
    public void IdBelowAnEarlierRetirePriorTo_IsRetiredAtOnce()
    {
        var ids = new PeerConnectionIdSet(Id(0), limit: 4);
        ids.OnNewConnectionId(new NewConnectionIdFrame(5, 5, Id(5), Token(5)));
        while (ids.TryTakeRetire(out _))
        {
        }

        Assert.Equal(TransportErrorCode.NO_ERROR, ids.OnNewConnectionId(new NewConnectionIdFrame(3, 0, Id(3), Token(3))));
        Assert.True(ids.TryTakeRetire(out ulong retired));
        Assert.Equal(3UL, retired);
        Assert.Equal(Id(5), ids.Current);
    }

    [Fact]
    public void MoreActiveIdsThanTheLimit_IsConnectionIdLimitError()
    {
        var ids = new PeerConnectionIdSet(Id(0), limit: 2);
        Assert.Equal(TransportErrorCode.NO_ERROR, ids.OnNewConnectionId(new NewConnectionIdFrame(1, 0, Id(1), Token(1))));
        Assert.Equal(TransportErrorCode.CONNECTION_ID_LIMIT_ERROR, ids.OnNewConnectionId(new NewConnectionIdFrame(2, 0, Id(2), Token(2))));
    }

    [Fact]
    public void Retransmission_IsAccepted_ButAChangedTokenIsNot()
    {
        var ids = new PeerConnectionIdSet(Id(0), limit: 4);
        Assert.Equal(TransportErrorCode.NO_ERROR, ids.OnNewConnectionId(new NewConnectionIdFrame(1, 0, Id(1), Token(1))));
        Assert.Equal(TransportErrorCode.NO_ERROR, ids.OnNewConnectionId(new NewConnectionIdFrame(1, 0, Id(1), Token(1))));
        Assert.Equal(TransportErrorCode.PROTOCOL_VIOLATION, ids.OnNewConnectionId(new NewConnectionIdFrame(1, 0, Id(1), Token(9))));
        Assert.Equal(TransportErrorCode.PROTOCOL_VIOLATION, ids.OnNewConnectionId(new NewConnectionIdFrame(2, 0, Id(1), Token(2))));
    }

    [Fact]
    public void StatelessReset_MatchesOnlyTokensOfUsedIds()
    {
        var ids = new PeerConnectionIdSet(Id(0), limit: 4);
        ids.SetInitialToken(Token(7));
        ids.OnNewConnectionId(new NewConnectionIdFrame(1, 0, Id(1), Token(8)));
        var datagram = new byte[40];
        Token(7).CopyTo(datagram.AsSpan(24));
        Assert.True(ids.IsStatelessReset(datagram));

        Token(8).CopyTo(datagram.AsSpan(24));
        Assert.False(ids.IsStatelessReset(datagram));
        Assert.True(ids.SwitchToUnused());
        Assert.True(ids.IsStatelessReset(datagram));
    }

    [Fact]
    public void LocalIds_RetireRules()
    {
        var ids = new LocalConnectionIdSet(Id(0), Token(0));
        ids.Issue(Id(1), Token(1));
        Assert.True(ids.TryTakePendingFrame(out NewConnectionIdFrame frame));
        Assert.Equal(1UL, frame.SequenceNumber);
        Assert.False(ids.TryTakePendingFrame(out _));

        // Never issued; or the ID the retiring packet was sent to.
        Assert.Equal(TransportErrorCode.PROTOCOL_VIOLATION, ids.Retire(2, Id(0).AsSpan(), out _, out _));
        ConnectionId one = Id(1);
        Assert.Equal(TransportErrorCode.PROTOCOL_VIOLATION, ids.Retire(1, one.AsSpan(), out _, out _));

        Assert.Equal(TransportErrorCode.NO_ERROR, ids.Retire(0, one.AsSpan(), out ConnectionId retired, out bool active));
        Assert.True(active);
        Assert.Equal(Id(0), retired);
        Assert.Equal(TransportErrorCode.NO_ERROR, ids.Retire(0, one.AsSpan(), out _, out active));
        Assert.False(active);
        Assert.Equal(1, ids.ActiveCount);

        ids.OnFrameLost(1);
        Assert.True(ids.TryTakePendingFrame(out frame));
        Assert.Equal(1UL, frame.SequenceNumber);
    }
}
