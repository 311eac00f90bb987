using AwgProxy.Quic.Congestion;
using AwgProxy.Quic.Recovery;
using static AwgProxy.Quic.Tests.Recovery.Time;

namespace AwgProxy.Quic.Tests.Recovery;

/// <summary>
/// RFC 9002 section 7.6. Every scenario takes the first RTT sample of 10 ms at t = 10 ms (smoothed 10, rttvar 5) with
/// max_ack_delay 0, so the persistent congestion duration is 3 * (10 + 4 * 5) = 90 ms. The acknowledgment that
/// declares the losses covers only a PADDING-only packet (in flight, not ack-eliciting), so it takes no RTT sample
/// and the duration stays 90 ms.
/// </summary>
public class PersistentCongestionTests
{
    private const int Size = 1200;
    private const PacketNumberSpace App = PacketNumberSpace.ApplicationData;

    private readonly RecordingCallbacks _callbacks = new();

    private LossDetection Connection()
    {
        var ld = new LossDetection(isServer: true, new NewReno(Size)) { PeerMaxAckDelay = TimeSpan.Zero };
        ld.OnHandshakeConfirmed(Instant.Zero);
        ld.OnPacketSent(App, 0, Ms(0), Size, isAckEliciting: true, isInFlight: true);
        Ack(ld, Ms(10), new PacketNumberRange(0, 0));
        Assert.Equal(Span(90), ld.Rtt.PersistentCongestionDuration(ld.PeerMaxAckDelay));
        return ld;
    }

    private void Ack(LossDetection ld, Instant now, params PacketNumberRange[] ranges)
    {
        RecordingCallbacks callbacks = _callbacks;
        ld.OnAckReceived(App, ranges, TimeSpan.Zero, null, now, ref callbacks);
    }

    private static void SendAckEliciting(LossDetection ld, ulong pn, Instant at) =>
        ld.OnPacketSent(App, pn, at, Size, isAckEliciting: true, isInFlight: true);

    private static void SendPaddingOnly(LossDetection ld, ulong pn, Instant at) =>
        ld.OnPacketSent(App, pn, at, Size, isAckEliciting: false, isInFlight: true);

    [Fact]
    public void LostPeriodLongerThanDuration_IsPersistentCongestion()
    {
        LossDetection ld = Connection();
        SendAckEliciting(ld, 1, Ms(20));
        SendAckEliciting(ld, 2, Ms(60));
        SendAckEliciting(ld, 3, Ms(110) + TimeSpan.FromTicks(1)); // 90 ms and one tick after packet 1
        SendPaddingOnly(ld, 4, Ms(125));

        Ack(ld, Ms(130), new PacketNumberRange(4, 4));

        Assert.Equal([1UL, 2UL, 3UL], _callbacks.LostNumbers);
        Assert.Equal(1, ld.GetStats().PersistentCongestionEvents);
        // Collapsed to the minimum window; then the acknowledged PADDING packet of the same frame grows it in slow
        // start (RFC 9002 Appendix A.7 processes the losses before the acknowledgments).
        Assert.Equal(NewReno.MinimumWindowFor(Size) + Size, ld.CongestionWindow);
        Assert.False(ld.CongestionController.InRecovery);
        Assert.True(ld.CongestionController.InSlowStart);
    }

    [Fact]
    public void LostPeriodEqualToDuration_IsNotPersistentCongestion()
    {
        LossDetection ld = Connection();
        long windowBefore = ld.CongestionWindow;
        SendAckEliciting(ld, 1, Ms(20));
        SendAckEliciting(ld, 2, Ms(60));
        SendAckEliciting(ld, 3, Ms(110)); // exactly 90 ms after packet 1: the duration is not exceeded
        SendPaddingOnly(ld, 4, Ms(125));

        Ack(ld, Ms(130), new PacketNumberRange(4, 4));

        Assert.Equal([1UL, 2UL, 3UL], _callbacks.LostNumbers);
        Assert.Equal(0, ld.GetStats().PersistentCongestionEvents);
        Assert.Equal(1, ld.GetStats().CongestionEvents);
        Assert.Equal(windowBefore / 2, ld.CongestionWindow);
        Assert.True(ld.CongestionController.InRecovery);
    }

    [Fact]
    public void AcknowledgedPacketBetweenLosses_PreventsPersistentCongestion()
    {
        LossDetection ld = Connection();
        SendAckEliciting(ld, 1, Ms(20));
        SendAckEliciting(ld, 2, Ms(60));
        SendAckEliciting(ld, 3, Ms(111));
        SendPaddingOnly(ld, 4, Ms(125));

        Ack(ld, Ms(130), new PacketNumberRange(4, 4), new PacketNumberRange(2, 2));

        Assert.Equal([1UL, 3UL], _callbacks.LostNumbers);
        // The losses span more than the (re-sampled) duration, but packet 2 got through in between.
        Assert.True(ld.Rtt.PersistentCongestionDuration(ld.PeerMaxAckDelay) < Span(91));
        Assert.Equal(0, ld.GetStats().PersistentCongestionEvents);
        Assert.True(ld.CongestionWindow > NewReno.MinimumWindowFor(Size));
    }

    [Fact]
    public void PacketsSentBeforeFirstRttSample_DoNotCount()
    {
        var ld = new LossDetection(isServer: true, new NewReno(Size)) { PeerMaxAckDelay = TimeSpan.Zero };
        ld.OnHandshakeConfirmed(Instant.Zero);
        SendAckEliciting(ld, 0, Ms(0));
        SendAckEliciting(ld, 1, Ms(5)); // before the first sample (t = 10 ms)
        Ack(ld, Ms(10), new PacketNumberRange(0, 0));
        SendAckEliciting(ld, 2, Ms(50));
        SendAckEliciting(ld, 3, Ms(100)); // 95 ms after packet 1, but only 50 ms after packet 2
        SendPaddingOnly(ld, 4, Ms(125));

        Ack(ld, Ms(130), new PacketNumberRange(4, 4));

        Assert.Equal([1UL, 2UL, 3UL], _callbacks.LostNumbers);
        Assert.Equal(0, ld.GetStats().PersistentCongestionEvents);
    }

    [Fact]
    public void NonAckElicitingLosses_DoNotStartOrEndThePeriod()
    {
        LossDetection ld = Connection();
        SendPaddingOnly(ld, 1, Ms(15));           // lost, but cannot be an end of the period
        SendAckEliciting(ld, 2, Ms(20));
        SendAckEliciting(ld, 3, Ms(90));
        SendPaddingOnly(ld, 4, Ms(115));          // lost as well, 100 ms after packet 1
        SendPaddingOnly(ld, 5, Ms(125));

        Ack(ld, Ms(130), new PacketNumberRange(5, 5));

        Assert.Equal([1UL, 2UL, 3UL, 4UL], _callbacks.LostNumbers);
        Assert.Equal(0, ld.GetStats().PersistentCongestionEvents);
    }

    [Fact]
    public void PersistentCongestion_RestartsMinRtt()
    {
        LossDetection ld = Connection();
        SendAckEliciting(ld, 1, Ms(20));
        SendAckEliciting(ld, 2, Ms(200));
        SendAckEliciting(ld, 3, Ms(300));
        SendAckEliciting(ld, 4, Ms(320));

        // Acknowledging 4 samples 40 ms; 1 and 2 are lost, 280 ms apart.
        Ack(ld, Ms(360), new PacketNumberRange(4, 4));

        Assert.Equal(1, ld.GetStats().PersistentCongestionEvents);
        Assert.Equal(Span(40), ld.Rtt.MinRtt);
    }
}
