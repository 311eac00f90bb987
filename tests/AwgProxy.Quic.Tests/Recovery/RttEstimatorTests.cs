using AwgProxy.Quic.Recovery;
using static AwgProxy.Quic.Tests.Recovery.Time;

namespace AwgProxy.Quic.Tests.Recovery;

public class RttEstimatorTests
{
    private static readonly TimeSpan MaxAckDelay = Span(25);

    [Fact]
    public void BeforeFirstSample_UsesInitialRtt()
    {
        var rtt = new RttEstimator();

        Assert.False(rtt.HasSample);
        Assert.Equal(Span(333), rtt.SmoothedRtt);
        Assert.Equal(Span(166.5), rtt.RttVar);
        Assert.Equal(TimeSpan.Zero, rtt.MinRtt);
        Assert.Equal(TimeSpan.Zero, rtt.LatestRtt);
        Assert.True(rtt.FirstSampleTime.IsNever);
        // 333 + 4 * 166.5 = 999 ms: a first PTO of about one second.
        Assert.Equal(Span(999), rtt.ProbeTimeoutBase);
    }

    [Fact]
    public void ConfiguredInitialRtt_IsUsedUntilFirstSample()
    {
        var rtt = new RttEstimator(Span(100));

        Assert.Equal(Span(100), rtt.SmoothedRtt);
        Assert.Equal(Span(50), rtt.RttVar);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RttEstimator(TimeSpan.Zero));
    }

    [Fact]
    public void FirstSample_ResetsEstimatorAndIgnoresAckDelay()
    {
        var rtt = new RttEstimator();

        rtt.Update(Ms(500), Span(100), ackDelay: Span(20), handshakeConfirmed: true, MaxAckDelay);

        Assert.True(rtt.HasSample);
        Assert.Equal(Ms(500), rtt.FirstSampleTime);
        Assert.Equal(Span(100), rtt.LatestRtt);
        Assert.Equal(Span(100), rtt.MinRtt);
        Assert.Equal(Span(100), rtt.SmoothedRtt);
        Assert.Equal(Span(50), rtt.RttVar);
    }

    [Fact]
    public void SubsequentSample_SubtractsAckDelayAndSmooths()
    {
        var rtt = new RttEstimator();
        rtt.Update(Ms(0), Span(100), TimeSpan.Zero, handshakeConfirmed: false, MaxAckDelay);

        rtt.Update(Ms(10), Span(120), ackDelay: Span(10), handshakeConfirmed: false, MaxAckDelay);

        // adjusted = 120 - 10 = 110; rttvar = 3/4 * 50 + 1/4 * |100 - 110| = 40; srtt = 7/8 * 100 + 1/8 * 110.
        Assert.Equal(Span(120), rtt.LatestRtt);
        Assert.Equal(Span(100), rtt.MinRtt);
        Assert.Equal(Span(40), rtt.RttVar);
        Assert.Equal(Span(101.25), rtt.SmoothedRtt);
    }

    [Fact]
    public void AckDelay_IsCappedByMaxAckDelayOnlyOnceHandshakeConfirmed()
    {
        var confirmed = new RttEstimator();
        var unconfirmed = new RttEstimator();
        foreach (RttEstimator rtt in new[] { confirmed, unconfirmed })
        {
            rtt.Update(Ms(0), Span(100), TimeSpan.Zero, handshakeConfirmed: false, MaxAckDelay);
        }

        confirmed.Update(Ms(10), Span(200), ackDelay: Span(50), handshakeConfirmed: true, MaxAckDelay);
        unconfirmed.Update(Ms(10), Span(200), ackDelay: Span(50), handshakeConfirmed: false, MaxAckDelay);

        // Confirmed: adjusted = 200 - min(50, 25) = 175. Unconfirmed: adjusted = 200 - 50 = 150.
        Assert.Equal(TimeSpan.FromTicks((7 * Span(100).Ticks + Span(175).Ticks) / 8), confirmed.SmoothedRtt);
        Assert.Equal(TimeSpan.FromTicks((7 * Span(100).Ticks + Span(150).Ticks) / 8), unconfirmed.SmoothedRtt);
    }

    [Fact]
    public void AckDelay_IsNotSubtractedWhenResultWouldFallBelowMinRtt()
    {
        var rtt = new RttEstimator();
        rtt.Update(Ms(0), Span(100), TimeSpan.Zero, handshakeConfirmed: true, MaxAckDelay);

        // 110 < 100 + 20, so the sample is used unadjusted.
        rtt.Update(Ms(10), Span(110), ackDelay: Span(20), handshakeConfirmed: true, MaxAckDelay);

        Assert.Equal(Span(101.25), rtt.SmoothedRtt);
        Assert.Equal(Span(40), rtt.RttVar);
    }

    [Fact]
    public void MinRtt_TracksSmallestSampleWithoutAckDelay()
    {
        var rtt = new RttEstimator();
        rtt.Update(Ms(0), Span(100), TimeSpan.Zero, handshakeConfirmed: true, MaxAckDelay);
        rtt.Update(Ms(1), Span(80), ackDelay: Span(5), handshakeConfirmed: true, MaxAckDelay);
        rtt.Update(Ms(2), Span(150), TimeSpan.Zero, handshakeConfirmed: true, MaxAckDelay);

        Assert.Equal(Span(80), rtt.MinRtt);
        Assert.Equal(Span(150), rtt.LatestRtt);
    }

    [Fact]
    public void OnPersistentCongestion_RestartsMinRttFromLatestSample()
    {
        var rtt = new RttEstimator();
        rtt.Update(Ms(0), Span(50), TimeSpan.Zero, handshakeConfirmed: true, MaxAckDelay);
        rtt.Update(Ms(1), Span(300), TimeSpan.Zero, handshakeConfirmed: true, MaxAckDelay);

        rtt.OnPersistentCongestion();

        Assert.Equal(Span(300), rtt.MinRtt);
    }

    [Fact]
    public void LossDelay_IsNineEighthsOfLargerRttAndAtLeastGranularity()
    {
        var rtt = new RttEstimator();
        rtt.Update(Ms(0), Span(80), TimeSpan.Zero, handshakeConfirmed: true, MaxAckDelay);
        rtt.Update(Ms(1), Span(160), TimeSpan.Zero, handshakeConfirmed: true, MaxAckDelay);
        // latest (160) > smoothed (90): 9/8 * 160 = 180.
        Assert.Equal(Span(180), rtt.LossDelay);

        var tiny = new RttEstimator();
        tiny.Update(Ms(0), TimeSpan.FromTicks(10), TimeSpan.Zero, handshakeConfirmed: true, MaxAckDelay);
        Assert.Equal(RttEstimator.Granularity, tiny.LossDelay);
    }

    [Fact]
    public void ProbeTimeoutAndPersistentCongestionDuration_FollowFormulas()
    {
        var rtt = new RttEstimator();
        rtt.Update(Ms(0), Span(100), TimeSpan.Zero, handshakeConfirmed: true, MaxAckDelay);

        // srtt 100 + max(4 * 50, 1) = 300; plus max_ack_delay 25.
        Assert.Equal(Span(300), rtt.ProbeTimeoutBase);
        Assert.Equal(Span(325), rtt.ProbeTimeout(MaxAckDelay));
        Assert.Equal(Span(975), rtt.PersistentCongestionDuration(MaxAckDelay));

        var zero = new RttEstimator();
        zero.Update(Ms(0), TimeSpan.Zero, TimeSpan.Zero, handshakeConfirmed: true, MaxAckDelay);
        // rttvar 0: the granularity keeps the PTO from expiring at once.
        Assert.Equal(RttEstimator.Granularity, zero.ProbeTimeoutBase);
    }

    [Fact]
    public void Reset_ForgetsSamples()
    {
        var rtt = new RttEstimator();
        rtt.Update(Ms(0), Span(20), TimeSpan.Zero, handshakeConfirmed: true, MaxAckDelay);

        rtt.Reset(Span(200));

        Assert.False(rtt.HasSample);
        Assert.Equal(Span(200), rtt.SmoothedRtt);
        Assert.Equal(Span(100), rtt.RttVar);
        Assert.Equal(TimeSpan.Zero, rtt.MinRtt);
    }
}
