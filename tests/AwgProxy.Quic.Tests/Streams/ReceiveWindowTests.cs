using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Tests.Streams;

public class ReceiveWindowTests
{
    private static readonly TimeSpan Rtt = TimeSpan.FromMilliseconds(100);

    private static Instant Ms(long milliseconds) => Instant.FromMilliseconds(milliseconds);

    /// <summary>Receives and consumes up to <paramref name="offset"/>.</summary>
    private static void ConsumeTo(ReceiveWindow window, ulong offset)
    {
        Assert.Equal(TransportErrorCode.NO_ERROR, window.OnReceived(offset));
        window.OnConsumed(offset - window.Consumed);
    }

    [Fact]
    public void DataBeyondTheLimit_IsFlowControlError_AndChangesNothing()
    {
        var window = new ReceiveWindow(1000, 1000);
        Assert.Equal(TransportErrorCode.NO_ERROR, window.OnReceived(1000));
        Assert.Equal(TransportErrorCode.FLOW_CONTROL_ERROR, window.OnReceived(1001));
        Assert.Equal(1000UL, window.Received);
        Assert.Equal(TransportErrorCode.NO_ERROR, window.OnReceived(10)); // lower offsets are not news
        Assert.Equal(1000UL, window.Received);
        Assert.False(window.CanReceive(1001));
        Assert.True(window.CanReceive(1000));
    }

    [Fact]
    public void ConnectionStyleIncrements_AreSummedAgainstTheLimit()
    {
        var window = new ReceiveWindow(1000, 1000);
        Assert.Equal(TransportErrorCode.NO_ERROR, window.OnReceivedMore(700));
        Assert.True(window.CanReceiveMore(300));
        Assert.False(window.CanReceiveMore(301));
        Assert.Equal(TransportErrorCode.FLOW_CONTROL_ERROR, window.OnReceivedMore(301));
        Assert.Equal(700UL, window.Received);
        Assert.Equal(TransportErrorCode.NO_ERROR, window.OnReceivedMore(300));
    }

    [Fact]
    public void ConsumingMoreThanReceived_Throws()
    {
        var window = new ReceiveWindow(1000, 1000);
        window.OnReceived(10);
        Assert.Throws<InvalidOperationException>(() => window.OnConsumed(11));
    }

    [Fact]
    public void Update_IsDueWhenLessThanHalfTheWindowRemains()
    {
        var window = new ReceiveWindow(1000, 1000);
        ConsumeTo(window, 500);
        Assert.False(window.IsUpdateDue); // exactly half remains
        ConsumeTo(window, 501);
        Assert.True(window.IsUpdateDue);
        Assert.Equal(1501UL, window.TakeUpdate(Ms(0), Rtt));
        Assert.Equal(1501UL, window.Limit);
        Assert.False(window.IsUpdateDue);
    }

    [Fact]
    public void LostUpdate_IsResentWithTheSameValue_OnlyIfStillCurrent()
    {
        var window = new ReceiveWindow(1000, 1000);
        ConsumeTo(window, 600);
        ulong first = window.TakeUpdate(Ms(0), Rtt);
        window.OnUpdateLost(first);
        Assert.True(window.IsUpdateDue);
        Assert.Equal(first, window.TakeUpdate(Ms(1), Rtt));

        ConsumeTo(window, 1200);
        ulong second = window.TakeUpdate(Ms(2), Rtt);
        window.OnUpdateLost(first); // superseded by the second
        Assert.False(window.IsUpdateDue);
        Assert.True(second > first);
    }

    [Fact]
    public void UpdatesLessThanTwoRttApart_DoubleTheWindow()
    {
        var window = new ReceiveWindow(1000, 1_000_000);
        window.StartEpoch(Ms(0));
        ConsumeTo(window, 501);
        window.TakeUpdate(Ms(200), Rtt); // 501 bytes of a 1000-byte window in 2 RTT: faster than 4 RTT per window
        Assert.Equal(2000UL, window.Window);
        Assert.Equal(501UL + 2000, window.Limit);
    }

    [Fact]
    public void UpdatesMoreThanTwoRttApart_KeepTheWindow()
    {
        var window = new ReceiveWindow(1000, 1_000_000);
        window.StartEpoch(Ms(0));
        ConsumeTo(window, 501);
        window.TakeUpdate(Ms(201), Rtt); // 4 RTT * 501/1000 = 200.4 ms < 201 ms
        Assert.Equal(1000UL, window.Window);
        Assert.Equal(1501UL, window.Limit);
    }

    [Fact]
    public void Doubling_StopsAtTheMaximumWindow()
    {
        var window = new ReceiveWindow(1000, 3000);
        window.StartEpoch(Ms(0));
        var sizes = new List<ulong>();
        for (int i = 1; i <= 4; i++)
        {
            ConsumeTo(window, window.Limit - (window.Window / 2) + 1);
            Assert.True(window.IsUpdateDue);
            window.TakeUpdate(Ms(i), Rtt);
            sizes.Add(window.Window);
        }

        Assert.Equal([2000UL, 3000UL, 3000UL, 3000UL], sizes);
    }

    [Fact]
    public void WithoutAnRttEstimateOrEpoch_NothingIsTuned()
    {
        var window = new ReceiveWindow(1000, 1_000_000);
        ConsumeTo(window, 600);
        window.TakeUpdate(Ms(1), Rtt); // first update only starts the epoch
        Assert.Equal(1000UL, window.Window);
        ConsumeTo(window, 1200);
        window.TakeUpdate(Ms(2), TimeSpan.Zero); // no RTT sample
        Assert.Equal(1000UL, window.Window);
        ConsumeTo(window, 1800);
        window.TakeUpdate(Ms(3), Rtt);
        Assert.Equal(2000UL, window.Window);
    }

    [Fact]
    public void ConstantRateInVirtualTime_GrowsTheWindowUntilUpdatesAreTwoRttApart()
    {
        // 100 bytes per ms with a 50 ms RTT: the window doubles while half of it is consumed in under 100 ms.
        var rtt = TimeSpan.FromMilliseconds(50);
        var window = new ReceiveWindow(1000, 1 << 20);
        window.StartEpoch(Ms(0));
        var updateTimes = new List<long>();
        ulong consumed = 0;
        for (long ms = 1; ms <= 5000; ms++)
        {
            consumed += 100;
            Assert.True(consumed <= window.Limit, "the peer never needs to exceed the advertised limit");
            ConsumeTo(window, consumed);
            if (window.IsUpdateDue)
            {
                window.TakeUpdate(Ms(ms), rtt);
                updateTimes.Add(ms);
            }
        }

        Assert.Equal(32_000UL, window.Window);
        for (int i = updateTimes.Count - 10; i < updateTimes.Count; i++)
        {
            Assert.True(updateTimes[i] - updateTimes[i - 1] >= 100, "steady-state updates are at least 2 RTT apart");
        }
    }

    [Fact]
    public void EnsureWindowAtLeast_GrowsUpToTheMaximum()
    {
        var window = new ReceiveWindow(1000, 5000);
        window.EnsureWindowAtLeast(500);
        Assert.Equal(1000UL, window.Window);
        window.EnsureWindowAtLeast(3000);
        Assert.Equal(3000UL, window.Window);
        window.EnsureWindowAtLeast(9000);
        Assert.Equal(5000UL, window.Window);
        Assert.True(window.IsUpdateDue); // 1000 remaining < 2500
        Assert.Equal(5000UL, window.TakeUpdate(Ms(0), Rtt));
    }
}
