using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Tests.Streams;

public class SendCreditTests
{
    [Fact]
    public void Consume_ReducesAvailable_AndCannotPassTheLimit()
    {
        var credit = new SendCredit(1000);
        credit.Consume(600);
        Assert.Equal(600UL, credit.Used);
        Assert.Equal(400UL, credit.Available);
        Assert.Throws<InvalidOperationException>(() => credit.Consume(401));
        credit.Consume(400);
        Assert.Equal(0UL, credit.Available);
    }

    [Fact]
    public void LimitUpdates_OnlyIncrease()
    {
        var credit = new SendCredit(1000);
        Assert.False(credit.OnLimitReceived(999));
        Assert.False(credit.OnLimitReceived(1000));
        Assert.Equal(1000UL, credit.Limit);
        Assert.True(credit.OnLimitReceived(5000));
        Assert.Equal(5000UL, credit.Limit);
        Assert.False(credit.OnLimitReceived(4000));
        Assert.Equal(5000UL, credit.Available);
    }

    [Fact]
    public void BlockedSignal_FiresOncePerLimit()
    {
        var credit = new SendCredit(100);
        credit.OnBlocked();
        Assert.False(credit.IsBlockedSignalPending); // credit left: not blocked

        credit.Consume(100);
        credit.OnBlocked();
        Assert.True(credit.IsBlockedSignalPending);
        Assert.True(credit.TryTakeBlockedSignal(out ulong limit));
        Assert.Equal(100UL, limit);
        Assert.False(credit.TryTakeBlockedSignal(out _));

        credit.OnBlocked();
        Assert.False(credit.IsBlockedSignalPending); // already signalled at this limit

        credit.OnLimitReceived(300);
        credit.Consume(200);
        credit.OnBlocked();
        Assert.True(credit.TryTakeBlockedSignal(out limit));
        Assert.Equal(300UL, limit);
    }

    [Fact]
    public void BlockedSignal_IsWithdrawnWhenTheLimitGrows()
    {
        var credit = new SendCredit(0);
        credit.OnBlocked();
        Assert.True(credit.IsBlockedSignalPending);
        credit.OnLimitReceived(10);
        Assert.False(credit.IsBlockedSignalPending);
        Assert.False(credit.TryTakeBlockedSignal(out _));
    }

    [Fact]
    public void LostBlockedFrame_IsResentOnlyWhileStillBlockedAtThatLimit()
    {
        var credit = new SendCredit(0);
        credit.OnBlocked();
        Assert.True(credit.TryTakeBlockedSignal(out ulong limit));
        credit.OnBlockedSignalLost(limit);
        Assert.True(credit.TryTakeBlockedSignal(out _));

        credit.OnLimitReceived(50);
        credit.OnBlockedSignalLost(limit); // stale: the limit moved on
        Assert.False(credit.IsBlockedSignalPending);
    }
}
