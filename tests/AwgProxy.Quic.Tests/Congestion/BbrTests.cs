using AwgProxy.Quic.Congestion;
using AwgProxy.Quic.Recovery;

namespace AwgProxy.Quic.Tests.Congestion;

public class BbrTests
{
    private const long TenMbit = 1_250_000;
    private static readonly TimeSpan Rtt50 = TimeSpan.FromMilliseconds(50);

    private static ControllerHarness Harness(long rate = TenMbit, TimeSpan? rtt = null, TimeSpan? buffer = null) =>
        new(new Bbr(Instant.FromMilliseconds(1000), ControllerHarness.PacketSize), rate, rtt ?? Rtt50, buffer ?? TimeSpan.FromMilliseconds(100));

    private static Bbr Bbr(ControllerHarness harness) => (Bbr)harness.Controller;

    [Fact]
    public void Startup_FindsBottleneck_ThenDrainsIntoProbeBandwidth()
    {
        ControllerHarness harness = Harness();
        var states = new HashSet<BbrState>();
        harness.Run(TimeSpan.FromSeconds(3), () => states.Add(Bbr(harness).State));

        Bbr bbr = Bbr(harness);
        Assert.Contains(BbrState.Startup, states);
        Assert.Contains(BbrState.Drain, states);
        Assert.Equal(BbrState.ProbeBandwidth, bbr.State);
        Assert.InRange(bbr.BottleneckBandwidth, TenMbit * 95 / 100, TenMbit * 105 / 100);
        Assert.InRange(bbr.MinRtt, Rtt50, Rtt50 + TimeSpan.FromMilliseconds(3));

        // In ProbeBW the window is about two BDPs, not the queue-filling window of a loss-based controller.
        long bdp = TenMbit * 50 / 1000;
        Assert.InRange(bbr.CongestionWindow, bdp, 4 * bdp);
    }

    [Fact]
    public void SteadyState_FillsTheLink()
    {
        ControllerHarness harness = Harness();
        harness.Run(TimeSpan.FromSeconds(3));
        double goodput = harness.MeasureGoodput(TimeSpan.FromSeconds(5));
        Assert.True(goodput >= TenMbit * 0.95, $"goodput {goodput:0} B/s of {TenMbit}");
    }

    [Fact]
    public void TenPercentRandomLoss_KeepsTheRateWhereNewRenoCollapses()
    {
        static bool Lossy(ulong pn) => (pn * 0x9E3779B97F4A7C15UL >> 32) % 10 == 0;

        ControllerHarness bbr = Harness();
        bbr.Drop = Lossy;
        bbr.Run(TimeSpan.FromSeconds(3));
        double bbrGoodput = bbr.MeasureGoodput(TimeSpan.FromSeconds(10));

        var reno = new ControllerHarness(new NewReno(ControllerHarness.PacketSize), TenMbit, Rtt50, TimeSpan.FromMilliseconds(100)) { Drop = Lossy };
        reno.Run(TimeSpan.FromSeconds(3));
        double renoGoodput = reno.MeasureGoodput(TimeSpan.FromSeconds(10));

        // The link delivers 90 % of what is sent; BBR keeps sending at the link rate.
        Assert.True(bbrGoodput >= TenMbit * 0.8, $"BBR goodput {bbrGoodput:0} B/s");
        Assert.True(renoGoodput < bbrGoodput / 3, $"NewReno goodput {renoGoodput:0} B/s vs BBR {bbrGoodput:0} B/s");
        Assert.Equal(BbrState.ProbeBandwidth, Bbr(bbr).State);
    }

    [Fact]
    public void RandomLossInStartup_DoesNotEndStartupEarly()
    {
        ControllerHarness harness = Harness(rate: 10 * TenMbit);
        harness.Drop = pn => (pn * 0x9E3779B97F4A7C15UL >> 32) % 10 == 3;
        long bandwidthAtExit = 0;
        harness.Run(TimeSpan.FromSeconds(3), () =>
        {
            if (bandwidthAtExit == 0 && Bbr(harness).State != BbrState.Startup) bandwidthAtExit = Bbr(harness).BottleneckBandwidth;
        });

        Assert.True(bandwidthAtExit >= 10 * TenMbit * 8 / 10, $"startup ended at {bandwidthAtExit} B/s of {10 * TenMbit}");
    }

    [Fact]
    public void BufferOverflowInStartup_EndsStartupOnLoss()
    {
        // A tiny buffer: startup's 2.89x overshoot loses a large share of a round.
        ControllerHarness harness = Harness(rate: 10 * TenMbit, buffer: TimeSpan.FromMilliseconds(2));
        Instant exit = Instant.Never;
        harness.Run(TimeSpan.FromSeconds(3), () =>
        {
            if (exit.IsNever && Bbr(harness).State != BbrState.Startup) exit = harness.Now;
        });

        Assert.False(exit.IsNever);
        Assert.True(harness.PacketsDropped < harness.PacketsSent / 5, $"{harness.PacketsDropped} of {harness.PacketsSent} dropped");
        Assert.Equal(BbrState.ProbeBandwidth, Bbr(harness).State);
    }

    [Fact]
    public void RttIncreaseForTenSeconds_GoesThroughProbeRtt_AndAdoptsTheNewMinimum()
    {
        ControllerHarness harness = Harness();
        harness.Run(TimeSpan.FromSeconds(3));
        Assert.InRange(Bbr(harness).MinRtt, Rtt50, Rtt50 + TimeSpan.FromMilliseconds(3));

        // The path gets longer: no sample reaches the old minimum any more.
        harness.Rtt = TimeSpan.FromMilliseconds(80);
        bool probed = false;
        harness.Run(TimeSpan.FromSeconds(12), () => probed |= Bbr(harness).State == BbrState.ProbeRtt);

        Assert.True(probed);
        Assert.InRange(Bbr(harness).MinRtt, TimeSpan.FromMilliseconds(80), TimeSpan.FromMilliseconds(84));
        Assert.Equal(BbrState.ProbeBandwidth, Bbr(harness).State);
    }

    [Fact]
    public void ProbeBandwidth_CyclesThroughItsPacingGains()
    {
        ControllerHarness harness = Harness();
        harness.Run(TimeSpan.FromSeconds(3));
        var gains = new HashSet<int>();
        harness.Run(TimeSpan.FromSeconds(2), () => gains.Add(Bbr(harness).PacingGain));
        Assert.Equal([750, 1000, 1250], gains.Order());
    }

    [Fact]
    public void PacingRate_FollowsGainTimesBandwidth()
    {
        ControllerHarness harness = Harness();
        harness.Run(TimeSpan.FromSeconds(3));
        Bbr bbr = Bbr(harness);
        long expected = bbr.BottleneckBandwidth * bbr.PacingGain / 1000 * 99 / 100;
        Assert.InRange(bbr.GetPacingRate(harness.Loss.Rtt), expected - (expected / 50), expected + (expected / 50));
    }

    [Fact]
    public void EcnCe_InStartup_EndsStartup()
    {
        var bbr = new Bbr(Instant.Zero, 1200);
        Assert.Equal(BbrState.Startup, bbr.State);
        bbr.OnCongestionEvent(new CongestionEvent(Instant.FromMilliseconds(10), Instant.FromMilliseconds(5), 0, 0, IsEcn: true, IsPersistentCongestion: false, 0));
        Assert.Equal(BbrState.Drain, bbr.State);
    }

    [Fact]
    public void RandomLossEvents_DoNotShrinkTheWindow_PersistentCongestionDoes()
    {
        ControllerHarness harness = Harness();
        harness.Run(TimeSpan.FromSeconds(3));
        ICongestionController bbr = harness.Controller;
        long window = bbr.CongestionWindow;

        bbr.OnCongestionEvent(new CongestionEvent(harness.Now, harness.Now - TimeSpan.FromMilliseconds(10), 2400, 2, IsEcn: false, IsPersistentCongestion: false, 10_000));
        Assert.Equal(window, bbr.CongestionWindow);
        Assert.True(bbr.InRecovery);

        bbr.OnCongestionEvent(new CongestionEvent(harness.Now, harness.Now - TimeSpan.FromMilliseconds(10), 2400, 2, IsEcn: false, IsPersistentCongestion: true, 0));
        Assert.Equal(4 * ControllerHarness.PacketSize, bbr.CongestionWindow);

        // It comes back within a few round trips.
        harness.Run(TimeSpan.FromSeconds(1));
        Assert.True(bbr.CongestionWindow >= window / 2, $"window {bbr.CongestionWindow} after persistent congestion (was {window})");
    }

    [Fact]
    public void ApplicationLimitedPeriod_DoesNotLowerTheBandwidthEstimate()
    {
        ControllerHarness harness = Harness();
        harness.Run(TimeSpan.FromSeconds(3));
        long bandwidth = Bbr(harness).BottleneckBandwidth;

        // Trickle: the sender runs dry most of the time for longer than the bandwidth filter's window.
        for (int i = 0; i < 40; i++)
        {
            harness.HasData = i % 4 == 0;
            harness.Run(TimeSpan.FromMilliseconds(100));
        }

        Assert.True(Bbr(harness).BottleneckBandwidth >= bandwidth * 9 / 10, $"estimate fell from {bandwidth} to {Bbr(harness).BottleneckBandwidth}");
    }

    [Fact]
    public void MaxDatagramSizeChange_BeforeAnyAck_RescalesTheInitialWindow()
    {
        var bbr = new Bbr(Instant.Zero, 1200);
        Assert.Equal(NewReno.InitialWindowFor(1200), bbr.CongestionWindow);
        bbr.OnMaxDatagramSizeChanged(1452);
        Assert.Equal(NewReno.InitialWindowFor(1452), bbr.CongestionWindow);
        Assert.Equal(1452, bbr.MaxDatagramSize);
    }

    [Fact]
    public void InitialPacingRate_UsesTheInitialWindowOverTheInitialRtt()
    {
        var bbr = new Bbr(Instant.Zero, 1200);
        var rtt = new RttEstimator(TimeSpan.FromMilliseconds(100));
        long rate = bbr.GetPacingRate(rtt);
        Assert.InRange(rate, 2 * bbr.CongestionWindow * 10, 3 * bbr.CongestionWindow * 10);
    }
}
