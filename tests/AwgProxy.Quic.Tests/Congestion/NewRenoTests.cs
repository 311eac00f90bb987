using AwgProxy.Quic.Congestion;
using AwgProxy.Quic.Recovery;
using static AwgProxy.Quic.Tests.Recovery.Time;

namespace AwgProxy.Quic.Tests.Congestion;

public class NewRenoTests
{
    private const int Size = 1200;
    private readonly RttEstimator _rtt = new();

    private void Ack(NewReno cc, Instant now, Instant sent, int bytes = Size, bool appLimited = false) =>
        cc.OnPacketAcked(new AckedPacket(now, sent, bytes, appLimited, _rtt));

    private static void Lose(NewReno cc, Instant now, Instant sent, bool persistent = false) =>
        cc.OnCongestionEvent(new CongestionEvent(now, sent, Size, 1, IsEcn: false, persistent, BytesInFlight: 0));

    [Theory]
    [InlineData(1200, 12000)]
    [InlineData(1472, 14720)]
    [InlineData(1500, 14720)]
    [InlineData(9000, 18000)]
    public void InitialWindow_IsTenDatagramsCappedAt14720OrTwoDatagrams(int maxDatagramSize, long expected)
    {
        var cc = new NewReno(maxDatagramSize);

        Assert.Equal(expected, cc.CongestionWindow);
        Assert.Equal(2L * maxDatagramSize, cc.MinimumWindow);
        Assert.Equal(long.MaxValue, cc.SlowStartThreshold);
        Assert.True(cc.InSlowStart);
        Assert.False(cc.InRecovery);
    }

    [Fact]
    public void SlowStart_GrowsByBytesAcknowledged()
    {
        var cc = new NewReno(Size);

        for (int i = 0; i < 10; i++) Ack(cc, Ms(100), Ms(0));

        Assert.Equal(24000, cc.CongestionWindow);
        Assert.True(cc.InSlowStart);
    }

    [Fact]
    public void Loss_HalvesWindowAndEntersRecovery()
    {
        var cc = new NewReno(Size);
        for (int i = 0; i < 10; i++) Ack(cc, Ms(100), Ms(0));

        Lose(cc, Ms(200), Ms(150));

        Assert.Equal(12000, cc.SlowStartThreshold);
        Assert.Equal(12000, cc.CongestionWindow);
        Assert.True(cc.InRecovery);
        Assert.False(cc.InSlowStart);
    }

    [Fact]
    public void Recovery_ReducesOncePerPeriodAndDoesNotGrow()
    {
        var cc = new NewReno(Size);
        Lose(cc, Ms(200), Ms(150));
        Assert.Equal(6000, cc.CongestionWindow);

        // More losses of packets sent before recovery started: no second reduction.
        Lose(cc, Ms(210), Ms(199));
        Lose(cc, Ms(220), Ms(200));
        // Acknowledgments of packets sent before recovery started: no growth, still in recovery.
        Ack(cc, Ms(230), Ms(190));

        Assert.Equal(6000, cc.CongestionWindow);
        Assert.True(cc.InRecovery);

        // A packet sent during recovery is acknowledged: recovery ends, congestion avoidance starts.
        Ack(cc, Ms(400), Ms(201));
        Assert.False(cc.InRecovery);

        // A loss of a packet sent after the recovery start is a new congestion event.
        Lose(cc, Ms(410), Ms(300));
        Assert.Equal(3000, cc.SlowStartThreshold);
        Assert.Equal(3000, cc.CongestionWindow);
    }

    [Fact]
    public void CongestionAvoidance_AddsOneDatagramPerWindowAcknowledged()
    {
        var cc = new NewReno(Size);
        Lose(cc, Ms(10), Ms(5)); // window 6000, ssthresh 6000
        Ack(cc, Ms(20), Ms(11)); // leaves recovery; the first 1200 of 6000 bytes counted

        for (int i = 0; i < 3; i++) Ack(cc, Ms(20), Ms(11));
        Assert.Equal(6000, cc.CongestionWindow); // 4800 of 6000 bytes

        Ack(cc, Ms(20), Ms(11));
        Assert.Equal(7200, cc.CongestionWindow); // 6000 bytes acknowledged: one more datagram

        for (int i = 0; i < 5; i++) Ack(cc, Ms(30), Ms(11));
        Assert.Equal(7200, cc.CongestionWindow); // 6000 of the next 7200
        Ack(cc, Ms(30), Ms(11));
        Assert.Equal(8400, cc.CongestionWindow);
    }

    [Fact]
    public void PersistentCongestion_CollapsesToMinimumWindowAndSlowStarts()
    {
        var cc = new NewReno(Size);
        for (int i = 0; i < 10; i++) Ack(cc, Ms(100), Ms(0));

        Lose(cc, Ms(200), Ms(150), persistent: true);

        Assert.Equal(cc.MinimumWindow, cc.CongestionWindow);
        Assert.Equal(12000, cc.SlowStartThreshold);
        Assert.False(cc.InRecovery);
        Assert.True(cc.InSlowStart);

        // Not in recovery any more: acknowledgments grow the window again, even for packets sent before.
        Ack(cc, Ms(250), Ms(100));
        Assert.Equal(cc.MinimumWindow + Size, cc.CongestionWindow);
    }

    [Fact]
    public void RepeatedLoss_NeverGoesBelowMinimumWindow()
    {
        var cc = new NewReno(Size);
        for (int i = 1; i <= 10; i++)
        {
            Ack(cc, Ms(i * 100 - 1), Ms(i * 100 - 2)); // ends the previous recovery period
            Lose(cc, Ms(i * 100), Ms(i * 100 - 1));
        }

        Assert.Equal(cc.MinimumWindow, cc.CongestionWindow);
    }

    [Fact]
    public void ApplicationLimited_DoesNotGrowWindow()
    {
        var cc = new NewReno(Size);
        for (int i = 0; i < 10; i++) Ack(cc, Ms(100), Ms(0), appLimited: true);
        Assert.Equal(12000, cc.CongestionWindow);

        Lose(cc, Ms(110), Ms(105));
        Ack(cc, Ms(200), Ms(150), appLimited: true);
        Assert.False(cc.InRecovery); // recovery still ends
        for (int i = 0; i < 20; i++) Ack(cc, Ms(200), Ms(150), appLimited: true);
        Assert.Equal(6000, cc.CongestionWindow);
    }

    [Fact]
    public void EcnCongestionEvent_ReducesLikeLoss()
    {
        var cc = new NewReno(Size);

        cc.OnCongestionEvent(new CongestionEvent(Ms(50), Ms(40), 0, 0, IsEcn: true, IsPersistentCongestion: false, 0));

        Assert.Equal(6000, cc.CongestionWindow);
        Assert.True(cc.InRecovery);
    }

    [Fact]
    public void MaxDatagramSizeChange_RecomputesUntouchedInitialWindowAndKeepsMinimum()
    {
        var fresh = new NewReno(Size);
        fresh.OnMaxDatagramSizeChanged(1500);
        Assert.Equal(14720, fresh.CongestionWindow);
        Assert.Equal(3000, fresh.MinimumWindow);

        var used = new NewReno(Size);
        Lose(used, Ms(10), Ms(5), persistent: true); // 2400
        used.OnMaxDatagramSizeChanged(1500);
        Assert.Equal(3000, used.CongestionWindow);
        Assert.Throws<ArgumentOutOfRangeException>(() => used.OnMaxDatagramSizeChanged(1199));
    }

    [Fact]
    public void PacingRate_IsFiveQuartersOfWindowPerSmoothedRtt()
    {
        var cc = new NewReno(Size);
        var rtt = new RttEstimator();
        rtt.Update(Ms(0), Span(100), TimeSpan.Zero, handshakeConfirmed: true, TimeSpan.Zero);

        // 1.25 * 12000 bytes / 0.1 s.
        Assert.Equal(150_000, cc.GetPacingRate(rtt));
    }

    [Fact]
    public void Factory_BuildsSelectedAlgorithm()
    {
        ICongestionController cc = new CongestionControllerFactory(CongestionControlAlgorithm.NewReno).Create(Instant.Zero, 1500);

        Assert.IsType<NewReno>(cc);
        Assert.Equal(1500, cc.MaxDatagramSize);
        Assert.Throws<ArgumentOutOfRangeException>(
            () => CongestionControllerFactory.Create((CongestionControlAlgorithm)99, Instant.Zero, 1200));
    }
}
