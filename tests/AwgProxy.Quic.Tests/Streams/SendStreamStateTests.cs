using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Tests.Streams;

public class SendStreamStateTests
{
    // Every legal arrow of the RFC 9000 section 3.1 diagram, plus the retransmission self-loops.
    private static readonly Dictionary<(SendStreamState, SendStreamEvent), SendStreamState> Legal = new()
    {
        [(SendStreamState.Ready, SendStreamEvent.SendStream)] = SendStreamState.Send,
        [(SendStreamState.Ready, SendStreamEvent.SendStreamDataBlocked)] = SendStreamState.Send,
        [(SendStreamState.Ready, SendStreamEvent.SendStreamFin)] = SendStreamState.DataSent,
        [(SendStreamState.Ready, SendStreamEvent.SendResetStream)] = SendStreamState.ResetSent,
        [(SendStreamState.Send, SendStreamEvent.SendStream)] = SendStreamState.Send,
        [(SendStreamState.Send, SendStreamEvent.SendStreamDataBlocked)] = SendStreamState.Send,
        [(SendStreamState.Send, SendStreamEvent.SendStreamFin)] = SendStreamState.DataSent,
        [(SendStreamState.Send, SendStreamEvent.SendResetStream)] = SendStreamState.ResetSent,
        [(SendStreamState.DataSent, SendStreamEvent.SendStream)] = SendStreamState.DataSent,
        [(SendStreamState.DataSent, SendStreamEvent.SendStreamFin)] = SendStreamState.DataSent,
        [(SendStreamState.DataSent, SendStreamEvent.SendResetStream)] = SendStreamState.ResetSent,
        [(SendStreamState.DataSent, SendStreamEvent.RecvAllAcks)] = SendStreamState.DataRecvd,
        [(SendStreamState.ResetSent, SendStreamEvent.SendResetStream)] = SendStreamState.ResetSent,
        [(SendStreamState.ResetSent, SendStreamEvent.RecvResetAck)] = SendStreamState.ResetRecvd,
    };

    public static TheoryData<SendStreamState, SendStreamEvent> AllPairs()
    {
        var data = new TheoryData<SendStreamState, SendStreamEvent>();
        foreach (SendStreamState state in Enum.GetValues<SendStreamState>())
        {
            foreach (SendStreamEvent @event in Enum.GetValues<SendStreamEvent>()) data.Add(state, @event);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void EveryStateEventPair_FollowsTheRfcDiagram(SendStreamState state, SendStreamEvent @event)
    {
        bool legal = Legal.TryGetValue((state, @event), out SendStreamState expected);
        Assert.Equal(legal, state.TryApply(@event, out SendStreamState next));
        Assert.Equal(legal ? expected : state, next);
    }

    [Fact]
    public void TerminalStates_AcceptNoEvent()
    {
        foreach (SendStreamEvent @event in Enum.GetValues<SendStreamEvent>())
        {
            Assert.False(SendStreamState.DataRecvd.TryApply(@event, out _));
            Assert.False(SendStreamState.ResetRecvd.TryApply(@event, out _));
        }

        Assert.True(SendStreamState.DataRecvd.IsTerminal());
        Assert.True(SendStreamState.ResetRecvd.IsTerminal());
        Assert.False(SendStreamState.ResetSent.IsTerminal());
    }

    [Fact]
    public void AfterReset_NoStreamOrBlockedFrameMayBeSent()
    {
        Assert.False(SendStreamState.ResetSent.TryApply(SendStreamEvent.SendStream, out _));
        Assert.False(SendStreamState.ResetSent.TryApply(SendStreamEvent.SendStreamFin, out _));
        Assert.False(SendStreamState.ResetSent.TryApply(SendStreamEvent.SendStreamDataBlocked, out _));
    }

    [Theory]
    [InlineData(SendStreamState.Ready, true, true)]
    [InlineData(SendStreamState.Send, true, true)]
    [InlineData(SendStreamState.DataSent, false, true)]
    [InlineData(SendStreamState.ResetSent, false, false)]
    [InlineData(SendStreamState.DataRecvd, false, false)]
    [InlineData(SendStreamState.ResetRecvd, false, false)]
    public void WriteAndStopSendingRules_PerState(SendStreamState state, bool canWrite, bool mustReset)
    {
        Assert.Equal(canWrite, state.CanWrite());
        Assert.Equal(mustReset, state.MustResetOnStopSending());
    }
}
