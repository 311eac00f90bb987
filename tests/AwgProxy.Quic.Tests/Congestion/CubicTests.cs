using AwgProxy.Quic.Congestion;
using AwgProxy.Quic.Recovery;

namespace AwgProxy.Quic.Tests.Congestion;

public class CubicTests
{
    private const int Size = 1200;
    private readonly RttEstimator _rtt = new(TimeSpan.FromMilliseconds(100));

    private static Instant Ms(double ms) => new((long)(ms * TimeSpan.TicksPerMillisecond));

    private void Ack(Cubic cc, Instant now, Instant sent, int bytes = Size, bool appLimited = false) =>
        cc.OnPacketAcked(new AckedPacket(now, sent, bytes, appLimited, _rtt));

    private static void Lose(Cubic cc, Instant now, Instant sent, bool persistent = false) =>
        cc.OnCongestionEvent(new CongestionEvent(now, sent, Size, 1, IsEcn: false, persistent, 0));

    /// <summary>A controller in congestion avoidance after one loss at <paramref name="window"/> bytes.</summary>
    private Cubic AfterLossAt(long window, Instant at)
    {
        var cc = new Cubic(Size);
        while (cc.CongestionWindow < window) Ack(cc, at - TimeSpan.FromMilliseconds(1), at - TimeSpan.FromMilliseconds(2));
        Lose(cc, at, at - TimeSpan.FromMilliseconds(1));
        return cc;
    }

    [Fact]
    public void SlowStart_GrowsByTheBytesAcknowledged()
    {
        var cc = new Cubic(Size);
        long initial = cc.CongestionWindow;
        Assert.Equal(NewReno.InitialWindowFor(Size), initial);
        for (int i = 0; i < 10; i++) Ack(cc, Ms(100), Ms(0));
        Assert.Equal(initial + (10 * Size), cc.CongestionWindow);
        Assert.True(cc.InSlowStart);
    }

    [Fact]
    public void CongestionEvent_KeepsSeventyPercent_AndRemembersTheWindow()
    {
        Cubic cc = AfterLossAt(100 * Size, Ms(1000));
        long before = 100 * Size;
        Assert.InRange(cc.CongestionWindow, (long)(before * 0.7) - Size, (long)(before * 0.7) + Size);
        Assert.Equal(cc.CongestionWindow, cc.SlowStartThreshold);
        Assert.InRange(cc.WindowMax, before, before + Size);
        Assert.True(cc.InRecovery);
    }

    [Fact]
    public void SecondLossBelowTheRememberedWindow_ConvergesFaster()
    {
        Cubic cc = AfterLossAt(100 * Size, Ms(1000));
        long window = cc.CongestionWindow;

        // Acknowledge a packet sent after the first loss (recovery ends), then lose again below W_max.
        Ack(cc, Ms(1100), Ms(1050));
        Lose(cc, Ms(1200), Ms(1150));
        long expected = (long)(window * 1.7 / 2);
        Assert.InRange(cc.WindowMax, expected - (2 * Size), expected + (2 * Size));
    }

    [Fact]
    public void OneReductionPerRecoveryPeriod()
    {
        Cubic cc = AfterLossAt(100 * Size, Ms(1000));
        long window = cc.CongestionWindow;
        Lose(cc, Ms(1010), Ms(990));
        Assert.Equal(window, cc.CongestionWindow);
        Ack(cc, Ms(1020), Ms(995));
        Assert.Equal(window, cc.CongestionWindow);
    }

    [Fact]
    public void CongestionAvoidance_IsConcaveBackToTheRememberedWindowAroundK_ThenConvex()
    {
        const int segments = 200;
        Cubic cc = AfterLossAt(segments * Size, Ms(0));
        long windowMax = cc.WindowMax;
        double k = Math.Cbrt((windowMax - cc.CongestionWindow) / (double)Size / 0.4);

        // One window of acknowledgments per 100 ms RTT, spread over the RTT.
        Instant now = Ms(0);
        long atHalfK = 0;
        long atK = 0;
        long at2K = 0;
        while ((now - Ms(0)).TotalSeconds < 2 * k)
        {
            long window = cc.CongestionWindow;
            int packets = (int)(window / Size);
            for (int i = 0; i < packets; i++)
            {
                now += TimeSpan.FromTicks(TimeSpan.FromMilliseconds(100).Ticks / packets);
                Ack(cc, now, now - TimeSpan.FromMilliseconds(100));
                double t = (now - Ms(0)).TotalSeconds;
                if (atHalfK == 0 && t >= k / 2) atHalfK = cc.CongestionWindow;
                if (atK == 0 && t >= k) atK = cc.CongestionWindow;
            }
        }

        at2K = cc.CongestionWindow;
        Assert.True(atHalfK > windowMax * 0.8 && atHalfK < windowMax, $"half way: {atHalfK} of {windowMax}");
        Assert.InRange(atK, (long)(windowMax * 0.97), (long)(windowMax * 1.05));
        Assert.True(at2K > windowMax * 1.1, $"after 2K: {at2K} of {windowMax}");
    }

    [Fact]
    public void SmallWindowShortRtt_GrowsAtLeastLikeReno()
    {
        var rtt = new RttEstimator(TimeSpan.FromMilliseconds(1));
        var cc = new Cubic(Size);
        while (cc.CongestionWindow < 20 * Size) cc.OnPacketAcked(new AckedPacket(Ms(1), Ms(0), Size, false, rtt));
        cc.OnCongestionEvent(new CongestionEvent(Ms(2), Ms(1), Size, 1, false, false, 0));
        long start = cc.CongestionWindow;

        // 50 RTTs of 1 ms: the cubic curve barely moves, Reno-friendly growth adds about 0.53 segment per RTT.
        Instant now = Ms(2);
        for (int rttCount = 0; rttCount < 50; rttCount++)
        {
            int packets = (int)(cc.CongestionWindow / Size);
            for (int i = 0; i < packets; i++)
            {
                now += TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond / packets);
                cc.OnPacketAcked(new AckedPacket(now, now - TimeSpan.FromMilliseconds(1), Size, false, rtt));
            }
        }

        Assert.True(cc.CongestionWindow >= start + (20 * Size), $"{cc.CongestionWindow} from {start}");
    }

    [Fact]
    public void ApplicationLimitedAcknowledgments_DoNotGrowTheWindow()
    {
        Cubic cc = AfterLossAt(50 * Size, Ms(0));
        long window = cc.CongestionWindow;
        for (int i = 0; i < 1000; i++) Ack(cc, Ms(100 + i), Ms(50 + i), appLimited: true);
        Assert.Equal(window, cc.CongestionWindow);
    }

    [Fact]
    public void PersistentCongestion_CollapsesToTheMinimumWindow()
    {
        Cubic cc = AfterLossAt(50 * Size, Ms(0));
        Lose(cc, Ms(5000), Ms(4000), persistent: true);
        Assert.Equal(2 * Size, cc.CongestionWindow);
        Assert.False(cc.InRecovery);
    }

    [Fact]
    public void Ecn_IsTreatedAsLoss()
    {
        var cc = new Cubic(Size);
        long window = cc.CongestionWindow;
        cc.OnCongestionEvent(new CongestionEvent(Ms(10), Ms(5), 0, 0, IsEcn: true, false, 0));
        Assert.Equal((long)(window * 0.7), cc.CongestionWindow);
    }

    [Fact]
    public void PacingRate_IsTwiceTheWindowInSlowStart_AndOneAndAQuarterAfter()
    {
        var cc = new Cubic(Size);
        long window = cc.CongestionWindow;
        Assert.Equal(2 * window * 10, cc.GetPacingRate(_rtt));
        Lose(cc, Ms(10), Ms(5));
        Assert.Equal(cc.CongestionWindow * 10 * 5 / 4, cc.GetPacingRate(_rtt));
    }

    [Fact]
    public void HyStart_RisingRtt_LeavesSlowStartWithAFractionOfPlainSlowStartsLosses()
    {
        // 10 Mbit/s, 40 ms, a deep 400 ms buffer: slow start alone overflows it by far (NewReno loses hundreds).
        var reno = new ControllerHarness(new NewReno(ControllerHarness.PacketSize), 1_250_000, TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(400));
        reno.Run(TimeSpan.FromSeconds(4));
        var harness = new ControllerHarness(new Cubic(ControllerHarness.PacketSize), 1_250_000, TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(400));
        bool conservative = false;
        harness.Run(TimeSpan.FromSeconds(4), () => conservative |= ((Cubic)harness.Controller).InConservativeSlowStart);

        Cubic cc = (Cubic)harness.Controller;
        Assert.True(conservative, "conservative slow start was never entered");
        Assert.False(cc.InSlowStart);
        Assert.True(reno.PacketsDropped > 100, $"plain slow start dropped only {reno.PacketsDropped}");
        Assert.True(harness.PacketsDropped * 5 < reno.PacketsDropped, $"HyStart++ dropped {harness.PacketsDropped}, slow start {reno.PacketsDropped}");
        long bdp = 1_250_000 * 40 / 1000;
        Assert.InRange(cc.SlowStartThreshold, bdp, 12 * bdp);
    }

    [Fact]
    public void HyStart_WithoutRttRise_StaysInSlowStart()
    {
        var harness = new ControllerHarness(new Cubic(ControllerHarness.PacketSize), 100_000_000, TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(400));
        harness.Run(TimeSpan.FromMilliseconds(300));
        Cubic cc = (Cubic)harness.Controller;
        Assert.True(cc.InSlowStart);
        Assert.False(cc.InConservativeSlowStart);
    }

    [Fact]
    public void CleanBottleneck_SteadyStateFillsTheLink()
    {
        var harness = new ControllerHarness(new Cubic(ControllerHarness.PacketSize), 1_250_000, TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(40));
        harness.Run(TimeSpan.FromSeconds(5));
        double goodput = harness.MeasureGoodput(TimeSpan.FromSeconds(20));
        Assert.True(goodput >= 1_250_000 * 0.9, $"goodput {goodput:0} B/s");
    }
}
