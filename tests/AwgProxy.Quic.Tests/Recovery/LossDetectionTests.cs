using AwgProxy.Quic.Congestion;
using AwgProxy.Quic.Recovery;
using static AwgProxy.Quic.Tests.Recovery.Time;

namespace AwgProxy.Quic.Tests.Recovery;

public class LossDetectionTests
{
    private const int Size = 1200;
    private const PacketNumberSpace App = PacketNumberSpace.ApplicationData;
    private const PacketNumberSpace Initial = PacketNumberSpace.Initial;
    private const PacketNumberSpace Handshake = PacketNumberSpace.Handshake;

    private readonly RecordingCallbacks _callbacks = new();

    private static LossDetection NewServer(bool confirmed = true)
    {
        var ld = new LossDetection(isServer: true, new NewReno(Size));
        if (confirmed) ld.OnHandshakeConfirmed(Instant.Zero);
        return ld;
    }

    private static void Send(LossDetection ld, PacketNumberSpace space, ulong pn, Instant at, bool ackEliciting = true, int bytes = Size) =>
        ld.OnPacketSent(space, pn, at, bytes, ackEliciting, isInFlight: ackEliciting, token: (long)pn + 1000);

    private AckOutcome Ack(LossDetection ld, PacketNumberSpace space, Instant now, params PacketNumberRange[] ranges) =>
        AckWith(ld, space, now, TimeSpan.Zero, null, ranges);

    private AckOutcome AckWith(
        LossDetection ld, PacketNumberSpace space, Instant now, TimeSpan ackDelay, EcnCounts? ecn, params PacketNumberRange[] ranges)
    {
        RecordingCallbacks callbacks = _callbacks;
        return ld.OnAckReceived(space, ranges, ackDelay, ecn, now, ref callbacks);
    }

    private LossDetectionTimeout Timeout(LossDetection ld, Instant now)
    {
        RecordingCallbacks callbacks = _callbacks;
        return ld.OnLossDetectionTimeout(now, ref callbacks);
    }

    private static PacketNumberRange R(ulong smallest, ulong largest) => new(smallest, largest);

    [Fact]
    public void PacketThreshold_DeclaresPacketsThreeBelowLargestAckedLost()
    {
        var ld = NewServer();
        for (ulong pn = 0; pn < 5; pn++) Send(ld, App, pn, Ms(pn));

        AckOutcome outcome = Ack(ld, App, Ms(100), R(3, 4));

        Assert.Equal(new AckOutcome(NewlyAcked: 2, Lost: 2, RttSampled: true), outcome);
        Assert.Equal([0UL, 1UL], _callbacks.LostNumbers);
        Assert.Equal([3UL, 4UL], _callbacks.AckedNumbers);
        Assert.Equal(1000L, _callbacks.Lost[0].Packet.Token);
        Assert.Equal(Size, ld.BytesInFlight); // packet 2 is still in flight
    }

    [Fact]
    public void TimeThreshold_LossTimerFiresAtSendTimePlusLossDelay()
    {
        var ld = NewServer();
        for (ulong pn = 0; pn < 5; pn++) Send(ld, App, pn, Ms(pn));
        Ack(ld, App, Ms(100), R(3, 4));
        _callbacks.Clear();

        // latest_rtt = 100 - 4 = 96 ms, loss delay = 9/8 * 96 = 108 ms: packet 2 (sent at 2 ms) is lost at 110 ms.
        Assert.Equal(Ms(110), ld.LossDetectionDeadline);
        Assert.Equal(LossDetectionAction.None, Timeout(ld, Ms(109.9)).Action);
        Assert.Empty(_callbacks.Lost);

        LossDetectionTimeout result = Timeout(ld, Ms(110));

        Assert.Equal(new LossDetectionTimeout(LossDetectionAction.PacketsLost, App, 1, false), result);
        Assert.Equal([2UL], _callbacks.LostNumbers);
        Assert.Equal(0, ld.BytesInFlight);
        Assert.True(ld.LossDetectionDeadline.IsNever);
    }

    [Fact]
    public void TimeThreshold_LossDetectedOnAckWhenOldEnough()
    {
        var ld = NewServer();
        Send(ld, App, 0, Ms(0));
        Send(ld, App, 1, Ms(200));

        // latest_rtt = 10 ms, loss delay 11.25 ms: packet 0 was sent 210 ms ago.
        Ack(ld, App, Ms(210), R(1, 1));

        Assert.Equal([0UL], _callbacks.LostNumbers);
    }

    [Fact]
    public void ProbeTimeout_UsesInitialRttThenBacksOffExponentially()
    {
        var ld = NewServer(confirmed: false);
        Send(ld, Initial, 0, Ms(0));

        // smoothed 333 + 4 * 166.5 = 999 ms, no max_ack_delay for Initial.
        Assert.Equal(Ms(999), ld.LossDetectionDeadline);
        Assert.Equal(LossDetectionAction.None, Timeout(ld, Ms(998)).Action);

        LossDetectionTimeout first = Timeout(ld, Ms(999));
        Assert.Equal(new LossDetectionTimeout(LossDetectionAction.SendProbes, Initial, 2, false), first);
        Assert.Equal(1, ld.PtoCount);
        Assert.Empty(_callbacks.Lost); // a PTO declares nothing lost
        Assert.Equal(Ms(1998), ld.LossDetectionDeadline);

        Send(ld, Initial, 1, Ms(999));
        Assert.Equal(Ms(999 + 1998), ld.LossDetectionDeadline);

        Assert.Equal(LossDetectionAction.SendProbes, Timeout(ld, Ms(2997)).Action);
        Assert.Equal(2, ld.PtoCount);
        Assert.Equal(Ms(999 + 4 * 999), ld.LossDetectionDeadline);
        Assert.Equal(2, ld.GetStats().ProbeTimeouts);
    }

    [Fact]
    public void ProbeTimeout_AcknowledgmentResetsBackoff()
    {
        var ld = NewServer();
        Send(ld, App, 0, Ms(0));
        Timeout(ld, ld.LossDetectionDeadline);
        Send(ld, App, 1, Ms(1100));
        Assert.Equal(1, ld.PtoCount);

        Ack(ld, App, Ms(1150), R(1, 1));

        Assert.Equal(0, ld.PtoCount);
    }

    [Fact]
    public void ProbeTimeout_ApplicationDataIncludesMaxAckDelayAndBackoff()
    {
        var ld = NewServer();
        ld.PeerMaxAckDelay = Span(25);
        Send(ld, App, 0, Ms(0));
        Assert.Equal(Ms(999 + 25), ld.LossDetectionDeadline);

        Timeout(ld, Ms(1024));

        Assert.Equal(Ms(2 * (999 + 25)), ld.LossDetectionDeadline);
    }

    [Fact]
    public void ProbeTimeout_NotArmedForApplicationDataBeforeHandshakeConfirmed()
    {
        var ld = NewServer(confirmed: false);
        Send(ld, App, 0, Ms(0));

        Assert.True(ld.LossDetectionDeadline.IsNever);

        ld.OnHandshakeConfirmed(Ms(5));
        Assert.Equal(Ms(999 + 25), ld.LossDetectionDeadline);
    }

    [Fact]
    public void ProbeTimeout_EarliestSpaceWinsAndProbesGoThere()
    {
        var ld = NewServer(confirmed: false);
        Send(ld, Handshake, 0, Ms(0));
        Send(ld, Initial, 0, Ms(10));

        Assert.Equal(Ms(999), ld.LossDetectionDeadline);
        LossDetectionTimeout result = Timeout(ld, Ms(999));

        Assert.Equal(Handshake, result.Space);
        Assert.Equal(2, ld.PendingProbes(Handshake));
        Assert.Equal(0, ld.PendingProbes(Initial));
    }

    [Fact]
    public void Probes_IgnoreCongestionWindowAndAreCountedDown()
    {
        var ld = NewServer();
        ulong pn = 0;
        while (ld.CanSend(Size)) Send(ld, App, pn++, Ms(0));
        Assert.Equal(10UL, pn); // 12000-byte initial window
        Assert.False(ld.HasPendingProbes);

        Timeout(ld, ld.LossDetectionDeadline);
        Assert.True(ld.HasPendingProbes);
        Assert.False(ld.CanSend(Size));

        Send(ld, App, pn++, Ms(1024));
        Assert.Equal(1, ld.PendingProbes(App));
        Send(ld, App, pn++, Ms(1024));
        Assert.False(ld.HasPendingProbes);
        Assert.Equal(12 * Size, ld.BytesInFlight); // probes count as in flight
    }

    [Fact]
    public void DiscardingInitialSpace_RemovesItsBytesFromFlightAndResetsTimer()
    {
        var ld = new LossDetection(isServer: false, new NewReno(Size));
        for (ulong pn = 0; pn < 3; pn++) Send(ld, Initial, pn, Ms(0));
        Send(ld, Handshake, 0, Ms(50));
        Timeout(ld, Ms(999));
        Assert.Equal(4 * Size, ld.BytesInFlight);
        Assert.Equal(1, ld.PtoCount);

        RecordingCallbacks callbacks = _callbacks;
        ld.DiscardSpace(Initial, Ms(1000), ref callbacks);

        Assert.Equal(Size, ld.BytesInFlight);
        Assert.Equal([0UL, 1UL, 2UL], _callbacks.Discarded.Select(d => d.Packet.PacketNumber));
        Assert.Equal(0, ld.PtoCount);
        Assert.Equal(0, ld.PendingProbes(Initial));
        Assert.False(ld.HasAckElicitingInFlight(Initial));
        // The timer now follows the Handshake packet alone.
        Assert.Equal(Ms(50 + 999), ld.LossDetectionDeadline);

        ld.DiscardSpace(Handshake, Ms(1000));
        Assert.Equal(0, ld.BytesInFlight);
    }

    [Fact]
    public void AckOfUnsentPacketNumber_IsIgnoredButDetectable()
    {
        var ld = NewServer();
        for (ulong pn = 0; pn < 3; pn++) Send(ld, App, pn, Ms(0));

        Assert.True(ld.AcknowledgesUnsentPacket(App, [R(5, 5)]));
        Assert.True(ld.AcknowledgesUnsentPacket(Handshake, [R(0, 0)]));
        Assert.False(ld.AcknowledgesUnsentPacket(App, [R(2, 2), R(0, 0)]));

        Assert.Equal(default, Ack(ld, App, Ms(10), R(5, 5)));
        Assert.False(ld.TryGetLargestAcked(App, out _));
        Assert.Equal(3 * Size, ld.BytesInFlight);

        AckOutcome outcome = Ack(ld, App, Ms(10), R(1, 7));
        Assert.Equal(2, outcome.NewlyAcked);
        Assert.True(ld.TryGetLargestAcked(App, out ulong largest));
        Assert.Equal(2UL, largest);
    }

    [Fact]
    public void SkippedPacketNumber_AcknowledgmentIsDetected()
    {
        var ld = NewServer();
        Send(ld, App, 0, Ms(0));
        ld.OnPacketNumberSkipped(App, 1);
        Send(ld, App, 2, Ms(1));

        Assert.True(ld.AcknowledgesUnsentPacket(App, [R(0, 2)]));
        Assert.False(ld.AcknowledgesUnsentPacket(App, [R(2, 2), R(0, 0)]));

        Ack(ld, App, Ms(20), R(2, 2), R(0, 0));
        Assert.Equal([0UL, 2UL], _callbacks.AckedNumbers);
        Assert.Equal(0, ld.GetSentPackets(App).TrackedCount);
    }

    [Fact]
    public void DuplicateAck_ReportsNothingTwice()
    {
        var ld = NewServer();
        Send(ld, App, 0, Ms(0));
        Send(ld, App, 1, Ms(0));
        Ack(ld, App, Ms(10), R(0, 1));

        AckOutcome again = Ack(ld, App, Ms(20), R(0, 1));

        Assert.Equal(default, again);
        Assert.Equal([0UL, 1UL], _callbacks.AckedNumbers);
        Assert.Equal(Span(10), ld.Rtt.LatestRtt);
    }

    [Fact]
    public void RttSample_RequiresNewlyAckedLargestAndAnAckElicitingPacket()
    {
        var ld = NewServer();
        Send(ld, App, 0, Ms(0));
        Send(ld, App, 1, Ms(0), ackEliciting: false); // an ACK-only packet

        AckOutcome onlyAckOnly = Ack(ld, App, Ms(50), R(1, 1));
        Assert.False(onlyAckOnly.RttSampled);
        Assert.False(ld.Rtt.HasSample);

        AckOutcome largestNotNew = Ack(ld, App, Ms(60), R(0, 1));
        Assert.Equal(1, largestNotNew.NewlyAcked);
        Assert.False(largestNotNew.RttSampled);

        Send(ld, App, 2, Ms(70));
        Send(ld, App, 3, Ms(70), ackEliciting: false);
        AckOutcome mixed = Ack(ld, App, Ms(90), R(2, 3));
        Assert.True(mixed.RttSampled);
        Assert.Equal(Span(20), ld.Rtt.LatestRtt);
    }

    [Fact]
    public void AckDelay_IsIgnoredInInitialSpaceAndUsedElsewhere()
    {
        var initial = NewServer(confirmed: false);
        var handshake = NewServer(confirmed: false);
        foreach ((LossDetection ld, PacketNumberSpace space) in new[] { (initial, Initial), (handshake, Handshake) })
        {
            Send(ld, space, 0, Ms(0));
            Send(ld, space, 1, Ms(100));
            Ack(ld, space, Ms(100), R(0, 0));
            AckWith(ld, space, Ms(250), Span(40), null, R(1, 1));
        }

        // First sample 100 ms; second 150 ms: adjusted to 110 ms only where the ACK Delay is honoured.
        Assert.Equal(TimeSpan.FromTicks((7 * Span(100).Ticks + Span(150).Ticks) / 8), initial.Rtt.SmoothedRtt);
        Assert.Equal(TimeSpan.FromTicks((7 * Span(100).Ticks + Span(110).Ticks) / 8), handshake.Rtt.SmoothedRtt);
    }

    [Fact]
    public void ClientWithNothingInFlight_ArmsAntiDeadlockProbeUntilAddressValidated()
    {
        var ld = new LossDetection(isServer: false, new NewReno(Size));
        Send(ld, Initial, 0, Ms(0));
        Ack(ld, Initial, Ms(100), R(0, 0));

        // Nothing in flight, yet the server may be blocked by its amplification limit: PTO from now.
        Assert.Equal(Ms(100 + 300), ld.LossDetectionDeadline);
        LossDetectionTimeout probe = Timeout(ld, Ms(400));
        Assert.Equal(new LossDetectionTimeout(LossDetectionAction.SendProbes, Initial, 1, true), probe);
        Assert.Equal(1, ld.PtoCount);

        // The client does not reset its backoff on Initial ACKs while unsure about address validation.
        Send(ld, Initial, 1, Ms(400));
        Ack(ld, Initial, Ms(500), R(1, 1));
        Assert.Equal(1, ld.PtoCount);

        ld.OnHandshakeKeysAvailable();
        LossDetectionTimeout handshakeProbe = Timeout(ld, ld.LossDetectionDeadline);
        Assert.Equal(Handshake, handshakeProbe.Space);
        Assert.True(handshakeProbe.IsAntiDeadlock);

        // A Handshake ACK proves the address: with nothing in flight no timer is needed.
        Send(ld, Handshake, 0, Ms(2000));
        Ack(ld, Handshake, Ms(2100), R(0, 0));
        Assert.True(ld.PeerCompletedAddressValidation);
        Assert.Equal(0, ld.PtoCount);
        Assert.True(ld.LossDetectionDeadline.IsNever);
    }

    [Fact]
    public void Server_DoesNotArmPtoWhileAtAmplificationLimit()
    {
        var ld = NewServer(confirmed: false);
        Send(ld, Initial, 0, Ms(0));
        ld.SetAntiAmplificationLimited(true, Ms(1));
        Assert.True(ld.LossDetectionDeadline.IsNever);

        ld.SetAntiAmplificationLimited(false, Ms(1500));

        // The PTO would have expired while blocked: the deadline is in the past, so it runs at once.
        Assert.Equal(Ms(999), ld.LossDetectionDeadline);
        Assert.Equal(LossDetectionAction.SendProbes, Timeout(ld, Ms(1500)).Action);
    }

    [Fact]
    public void Server_NothingInFlight_NoTimer()
    {
        var ld = NewServer();
        Send(ld, App, 0, Ms(0));
        Ack(ld, App, Ms(30), R(0, 0));

        Assert.True(ld.LossDetectionDeadline.IsNever);
        Assert.Equal(LossDetectionAction.None, Timeout(ld, Ms(10_000)).Action);
    }

    [Fact]
    public void EcnCeIncrease_IsCongestionEventOncePerIncrease()
    {
        var ld = NewServer();
        ld.Ecn.Enable();
        for (ulong pn = 0; pn < 4; pn++) ld.OnPacketSent(App, pn, Ms(pn), Size, isAckEliciting: true, isInFlight: true, ecn: EcnCodepoint.Ect0);
        long window = ld.CongestionWindow;

        AckWith(ld, App, Ms(50), TimeSpan.Zero, new EcnCounts(1, 0, 1), R(0, 1));
        Assert.Equal(window / 2, ld.CongestionWindow);
        Assert.True(ld.CongestionController.InRecovery);

        AckWith(ld, App, Ms(51), TimeSpan.Zero, new EcnCounts(3, 0, 1), R(2, 2));
        RecoveryStats stats = ld.GetStats();
        Assert.Equal(1, stats.EcnCongestionEvents);
        Assert.Equal(1, stats.CongestionEvents);
    }

    [Fact]
    public void AckOnlyPackets_AreTrackedButNotInFlight()
    {
        var ld = NewServer();
        Send(ld, App, 0, Ms(0), ackEliciting: false, bytes: 50);

        Assert.Equal(0, ld.BytesInFlight);
        Assert.True(ld.LossDetectionDeadline.IsNever);
        Assert.Throws<ArgumentException>(() => ld.OnPacketSent(App, 1, Ms(1), 10, isAckEliciting: true, isInFlight: false));

        for (ulong pn = 1; pn < 5; pn++) Send(ld, App, pn, Ms(10));
        Ack(ld, App, Ms(20), R(3, 4));
        Assert.Equal([0UL, 1UL], _callbacks.LostNumbers);
        Assert.False(_callbacks.Lost[0].Packet.IsInFlight);
        // Only the in-flight packet counts toward loss statistics in bytes.
        Assert.Equal(Size, ld.GetStats().BytesLost);
        Assert.Equal(2, ld.GetStats().PacketsLost);
    }

    [Fact]
    public void PacketNumbers_MustIncrease()
    {
        var ld = NewServer();
        Send(ld, App, 5, Ms(0));

        Assert.Throws<ArgumentException>(() => Send(ld, App, 5, Ms(1)));
        Assert.Throws<ArgumentException>(() => Send(ld, App, 4, Ms(1)));
        Send(ld, Initial, 0, Ms(1)); // spaces are independent
    }

    [Fact]
    public void ManyOutstandingPackets_GrowTheRingAndSettleInOrder()
    {
        var ld = NewServer();
        for (ulong pn = 0; pn < 1000; pn++) Send(ld, App, pn, Ms(0), bytes: 100);

        Ack(ld, App, Ms(10), R(998, 999), R(500, 600), R(0, 10));

        Assert.Equal(2 + 101 + 11, _callbacks.Acked.Count);
        Assert.True(_callbacks.AckedNumbers.SequenceEqual(_callbacks.AckedNumbers.Order()));
        // Everything up to 996 that was not acknowledged is three or more below 999; 997 waits for the loss timer.
        Assert.Equal((499 - 11 + 1) + (996 - 601 + 1), _callbacks.Lost.Count);
        Assert.True(_callbacks.LostNumbers.SequenceEqual(_callbacks.LostNumbers.Order()));
        Assert.Equal(100, ld.BytesInFlight);
        SentPacketTracker sent = ld.GetSentPackets(App);
        Assert.True(sent.TryGetOutstanding(997, out SentPacket waiting));
        Assert.Equal(1997L, waiting.Token);
        Assert.False(sent.TryGetOutstanding(996, out _));
        Assert.Equal(3, sent.TrackedCount); // 997 plus the settled 998 and 999 behind it
        Assert.Equal(Ms(11.25), ld.LossDetectionDeadline);
    }
}
