using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Tests.Streams;

public class ReceiveStreamStateTests
{
    private static readonly ReceiveStreamEvent[] PeerEvents =
        [ReceiveStreamEvent.RecvStream, ReceiveStreamEvent.RecvStreamFin, ReceiveStreamEvent.RecvResetStream];

    // Every legal arrow of the RFC 9000 section 3.2 diagram (without the optional ones), plus late peer frames.
    private static readonly Dictionary<(ReceiveStreamState, ReceiveStreamEvent), ReceiveStreamState> Legal = BuildLegal();

    private static Dictionary<(ReceiveStreamState, ReceiveStreamEvent), ReceiveStreamState> BuildLegal()
    {
        var legal = new Dictionary<(ReceiveStreamState, ReceiveStreamEvent), ReceiveStreamState>
        {
            [(ReceiveStreamState.Recv, ReceiveStreamEvent.RecvStream)] = ReceiveStreamState.Recv,
            [(ReceiveStreamState.Recv, ReceiveStreamEvent.RecvStreamFin)] = ReceiveStreamState.SizeKnown,
            [(ReceiveStreamState.Recv, ReceiveStreamEvent.RecvResetStream)] = ReceiveStreamState.ResetRecvd,
            [(ReceiveStreamState.SizeKnown, ReceiveStreamEvent.RecvStream)] = ReceiveStreamState.SizeKnown,
            [(ReceiveStreamState.SizeKnown, ReceiveStreamEvent.RecvStreamFin)] = ReceiveStreamState.SizeKnown,
            [(ReceiveStreamState.SizeKnown, ReceiveStreamEvent.RecvAllData)] = ReceiveStreamState.DataRecvd,
            [(ReceiveStreamState.SizeKnown, ReceiveStreamEvent.RecvResetStream)] = ReceiveStreamState.ResetRecvd,
            [(ReceiveStreamState.DataRecvd, ReceiveStreamEvent.AppReadAllData)] = ReceiveStreamState.DataRead,
            [(ReceiveStreamState.ResetRecvd, ReceiveStreamEvent.AppReadReset)] = ReceiveStreamState.ResetRead,
        };

        foreach (ReceiveStreamState settled in new[] { ReceiveStreamState.DataRecvd, ReceiveStreamState.ResetRecvd, ReceiveStreamState.DataRead, ReceiveStreamState.ResetRead })
        {
            foreach (ReceiveStreamEvent peer in PeerEvents) legal[(settled, peer)] = settled;
        }

        return legal;
    }

    public static TheoryData<ReceiveStreamState, ReceiveStreamEvent> AllPairs()
    {
        var data = new TheoryData<ReceiveStreamState, ReceiveStreamEvent>();
        foreach (ReceiveStreamState state in Enum.GetValues<ReceiveStreamState>())
        {
            foreach (ReceiveStreamEvent @event in Enum.GetValues<ReceiveStreamEvent>()) data.Add(state, @event);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void EveryStateEventPair_FollowsTheRfcDiagram(ReceiveStreamState state, ReceiveStreamEvent @event)
    {
        bool legal = Legal.TryGetValue((state, @event), out ReceiveStreamState expected);
        Assert.Equal(legal, state.TryApply(@event, out ReceiveStreamState next));
        Assert.Equal(legal ? expected : state, next);
    }

    [Fact]
    public void PeerFrames_AreAcceptedInEveryState()
    {
        foreach (ReceiveStreamState state in Enum.GetValues<ReceiveStreamState>())
        {
            foreach (ReceiveStreamEvent peer in PeerEvents) Assert.True(state.TryApply(peer, out _));
        }
    }

    [Fact]
    public void ResetAfterAllDataReceived_IsSuppressed()
    {
        Assert.True(ReceiveStreamState.DataRecvd.TryApply(ReceiveStreamEvent.RecvResetStream, out ReceiveStreamState next));
        Assert.Equal(ReceiveStreamState.DataRecvd, next);
    }

    [Theory]
    [InlineData(ReceiveStreamState.Recv, false, true, true)]
    [InlineData(ReceiveStreamState.SizeKnown, false, false, true)]
    [InlineData(ReceiveStreamState.DataRecvd, false, false, false)]
    [InlineData(ReceiveStreamState.ResetRecvd, false, false, false)]
    [InlineData(ReceiveStreamState.DataRead, true, false, false)]
    [InlineData(ReceiveStreamState.ResetRead, true, false, false)]
    public void FrameRules_PerState(ReceiveStreamState state, bool terminal, bool maxStreamData, bool stopSending)
    {
        Assert.Equal(terminal, state.IsTerminal());
        Assert.Equal(maxStreamData, state.NeedsFlowControlUpdates());
        Assert.Equal(stopSending, state.CanSendStopSending());
    }
}
