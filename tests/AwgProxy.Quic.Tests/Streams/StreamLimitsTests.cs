using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Tests.Streams;

public class StreamLimitsTests
{
    [Fact]
    public void PeerStreamBelowTheLimit_OpensItAndAllLowerStreamsOfItsType()
    {
        var limit = new IncomingStreamLimit(StreamType.ClientBidirectional, 10);
        Assert.Equal(TransportErrorCode.NO_ERROR, limit.Open(StreamId.FromIndex(StreamType.ClientBidirectional, 3), out StreamId first, out ulong count));
        Assert.Equal(new StreamId(0), first);
        Assert.Equal(4UL, count);
        Assert.Equal(4UL, limit.OpenedCount);

        Assert.Equal(TransportErrorCode.NO_ERROR, limit.Open(new StreamId(8), out first, out count)); // already open
        Assert.Equal(0UL, count);
        Assert.Equal(new StreamId(8), first);

        Assert.Equal(TransportErrorCode.NO_ERROR, limit.Open(new StreamId(20), out first, out count));
        Assert.Equal(new StreamId(16), first);
        Assert.Equal(2UL, count);
        Assert.True(limit.IsOpened(new StreamId(16)));
        Assert.False(limit.IsOpened(new StreamId(24)));
    }

    [Fact]
    public void PeerStreamAtOrAboveTheLimit_IsStreamLimitError_AndOpensNothing()
    {
        var limit = new IncomingStreamLimit(StreamType.ServerUnidirectional, 2);
        Assert.Equal(TransportErrorCode.STREAM_LIMIT_ERROR, limit.Open(StreamId.FromIndex(StreamType.ServerUnidirectional, 2), out _, out ulong count));
        Assert.Equal(0UL, count);
        Assert.Equal(0UL, limit.OpenedCount);
        Assert.Equal(TransportErrorCode.NO_ERROR, limit.Open(StreamId.FromIndex(StreamType.ServerUnidirectional, 1), out _, out count));
        Assert.Equal(2UL, count);
    }

    [Fact]
    public void WrongStreamType_IsAProgrammingError()
    {
        var limit = new IncomingStreamLimit(StreamType.ClientBidirectional, 2);
        Assert.Throws<ArgumentException>(() => limit.Open(new StreamId(1), out _, out _));
    }

    [Fact]
    public void ClosingStreams_RaisesTheLimit_OnceHalfTheCreditIsUsed()
    {
        var limit = new IncomingStreamLimit(StreamType.ClientBidirectional, 4);
        limit.Open(StreamId.FromIndex(StreamType.ClientBidirectional, 1), out _, out _); // 2 opened, credit 2
        Assert.False(limit.IsMaxStreamsUpdateDue); // nothing closed: nothing to give
        limit.OnStreamClosed();
        Assert.False(limit.IsMaxStreamsUpdateDue); // credit 2 is not below half of 4

        limit.Open(StreamId.FromIndex(StreamType.ClientBidirectional, 2), out _, out _); // credit 1
        Assert.True(limit.IsMaxStreamsUpdateDue);
        Assert.Equal(5UL, limit.TakeMaxStreamsUpdate()); // 1 closed + 4 concurrent
        Assert.False(limit.IsMaxStreamsUpdateDue);
        Assert.Equal(TransportErrorCode.NO_ERROR, limit.Open(StreamId.FromIndex(StreamType.ClientBidirectional, 4), out _, out _));
        Assert.Equal(TransportErrorCode.STREAM_LIMIT_ERROR, limit.Check(StreamId.FromIndex(StreamType.ClientBidirectional, 5)));
    }

    [Fact]
    public void LostMaxStreams_IsResentOnlyWhileCurrent()
    {
        var limit = new IncomingStreamLimit(StreamType.ClientUnidirectional, 1);
        limit.Open(new StreamId(2), out _, out _);
        limit.OnStreamClosed();
        ulong sent = limit.TakeMaxStreamsUpdate();
        Assert.Equal(2UL, sent);
        limit.OnMaxStreamsLost(sent);
        Assert.True(limit.IsMaxStreamsUpdateDue);
        Assert.Equal(sent, limit.TakeMaxStreamsUpdate());
        limit.OnMaxStreamsLost(1);
        Assert.False(limit.IsMaxStreamsUpdateDue);
    }

    [Fact]
    public void ClosingMoreThanOpened_Throws()
    {
        var limit = new IncomingStreamLimit(StreamType.ClientUnidirectional, 1);
        Assert.Throws<InvalidOperationException>(limit.OnStreamClosed);
    }

    [Fact]
    public void ZeroLimit_RejectsEveryPeerStreamAndNeverUpdates()
    {
        var limit = new IncomingStreamLimit(StreamType.ServerUnidirectional, 0);
        Assert.Equal(TransportErrorCode.STREAM_LIMIT_ERROR, limit.Check(new StreamId(3)));
        Assert.False(limit.IsMaxStreamsUpdateDue);
    }

    [Fact]
    public void OutgoingStreams_AreHandedOutInOrderUpToThePeerLimit()
    {
        var limit = new OutgoingStreamLimit(StreamType.ServerBidirectional, 2);
        Assert.True(limit.TryOpen(out StreamId a));
        Assert.True(limit.TryOpen(out StreamId b));
        Assert.Equal(new StreamId(1), a);
        Assert.Equal(new StreamId(5), b);
        Assert.False(limit.CanOpen);
        Assert.False(limit.TryOpen(out _));
        Assert.True(limit.IsOpened(b));
        Assert.False(limit.IsOpened(new StreamId(9)));
    }

    [Fact]
    public void StreamsBlocked_IsSignalledOncePerLimit_AndClearedByMaxStreams()
    {
        var limit = new OutgoingStreamLimit(StreamType.ClientBidirectional, 1);
        limit.TryOpen(out _);
        Assert.False(limit.IsStreamsBlockedPending);
        Assert.False(limit.TryOpen(out _));
        Assert.True(limit.TryTakeStreamsBlocked(out ulong blockedAt));
        Assert.Equal(1UL, blockedAt);
        Assert.False(limit.TryOpen(out _));
        Assert.False(limit.IsStreamsBlockedPending); // same limit: already signalled

        limit.OnStreamsBlockedLost(1);
        Assert.True(limit.IsStreamsBlockedPending);
        Assert.Equal(TransportErrorCode.NO_ERROR, limit.OnMaxStreams(3));
        Assert.False(limit.IsStreamsBlockedPending);
        Assert.True(limit.TryOpen(out StreamId id));
        Assert.Equal(new StreamId(4), id);
    }

    [Fact]
    public void MaxStreams_OnlyIncreases_AndAbove2To60IsAnError()
    {
        var limit = new OutgoingStreamLimit(StreamType.ClientUnidirectional);
        Assert.False(limit.CanOpen);
        Assert.Equal(TransportErrorCode.NO_ERROR, limit.OnMaxStreams(5));
        Assert.Equal(TransportErrorCode.NO_ERROR, limit.OnMaxStreams(3));
        Assert.Equal(5UL, limit.Limit);
        Assert.Equal(TransportErrorCode.NO_ERROR, limit.OnMaxStreams(1UL << 60));
        Assert.Equal(TransportErrorCode.FRAME_ENCODING_ERROR, limit.OnMaxStreams((1UL << 60) + 1));
        Assert.Equal(TransportErrorCode.TRANSPORT_PARAMETER_ERROR, limit.OnTransportParameter((1UL << 60) + 1));
        Assert.Equal(1UL << 60, limit.Limit);
    }

    [Fact]
    public void PeerTransportParameters_SetOutgoingLimits()
    {
        var limits = new StreamLimits(StreamInitiator.Client, 100, 3);
        Assert.Equal(TransportErrorCode.NO_ERROR, limits.OnPeerTransportParameters(10, 0));
        Assert.Equal(10UL, limits.OutgoingBidirectional.Limit);
        Assert.False(limits.OutgoingUnidirectional.CanOpen);
        Assert.Equal(TransportErrorCode.TRANSPORT_PARAMETER_ERROR, limits.OnPeerTransportParameters((1UL << 60) + 1, 0));
        Assert.Equal(StreamType.ServerBidirectional, limits.IncomingBidirectional.Type);
        Assert.Equal(StreamType.ServerUnidirectional, limits.Incoming(StreamDirection.Unidirectional).Type);
        Assert.Equal(StreamType.ClientUnidirectional, limits.Outgoing(StreamDirection.Unidirectional).Type);
    }

    [Theory]
    // Server's view: client streams are the peer's.
    [InlineData(StreamFrameKind.Stream, 0UL, TransportErrorCode.NO_ERROR)]
    [InlineData(StreamFrameKind.Stream, 2UL, TransportErrorCode.NO_ERROR)]
    [InlineData(StreamFrameKind.StopSending, 2UL, TransportErrorCode.STREAM_STATE_ERROR)] // receive-only stream
    [InlineData(StreamFrameKind.MaxStreamData, 2UL, TransportErrorCode.STREAM_STATE_ERROR)]
    [InlineData(StreamFrameKind.Stream, 3UL, TransportErrorCode.STREAM_STATE_ERROR)] // our send-only stream
    [InlineData(StreamFrameKind.ResetStream, 3UL, TransportErrorCode.STREAM_STATE_ERROR)]
    [InlineData(StreamFrameKind.StreamDataBlocked, 3UL, TransportErrorCode.STREAM_STATE_ERROR)]
    [InlineData(StreamFrameKind.MaxStreamData, 3UL, TransportErrorCode.NO_ERROR)] // opened below
    [InlineData(StreamFrameKind.StopSending, 7UL, TransportErrorCode.STREAM_STATE_ERROR)] // ours, not yet opened
    [InlineData(StreamFrameKind.Stream, 1UL, TransportErrorCode.NO_ERROR)] // our bidi stream, opened
    [InlineData(StreamFrameKind.Stream, 5UL, TransportErrorCode.STREAM_STATE_ERROR)] // our bidi stream, not opened
    [InlineData(StreamFrameKind.MaxStreamData, 4UL * 9, TransportErrorCode.NO_ERROR)] // peer bidi, index 9 < 10
    [InlineData(StreamFrameKind.Stream, 4UL * 10, TransportErrorCode.STREAM_LIMIT_ERROR)]
    [InlineData(StreamFrameKind.Stream, 4UL * 2 + 2, TransportErrorCode.STREAM_LIMIT_ERROR)] // peer uni, index 2 >= 2
    public void ReceivedFrameChecks_CoverDirectionExistenceAndLimits(StreamFrameKind kind, ulong id, TransportErrorCode expected)
    {
        var limits = new StreamLimits(StreamInitiator.Server, maxIncomingBidirectional: 10, maxIncomingUnidirectional: 2);
        limits.OnPeerTransportParameters(5, 5);
        limits.OutgoingBidirectional.TryOpen(out _); // stream 1
        limits.OutgoingUnidirectional.TryOpen(out _); // stream 3
        Assert.Equal(expected, limits.CheckReceivedFrame(kind, new StreamId(id)));
    }
}
