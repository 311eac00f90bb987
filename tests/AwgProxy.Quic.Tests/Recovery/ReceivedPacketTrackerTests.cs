using AwgProxy.Quic.Recovery;
using static AwgProxy.Quic.Tests.Recovery.Time;

namespace AwgProxy.Quic.Tests.Recovery;

public class ReceivedPacketTrackerTests
{
    private static ReceivedPacketTracker AppData(int threshold = 2, int maxRanges = 64) =>
        new(PacketNumberSpace.ApplicationData, Span(25), threshold, maxRanges);

    private static PacketNumberRange[] Ranges(ReceivedPacketTracker tracker, int capacity = 64)
    {
        var buffer = new PacketNumberRange[capacity];
        int count = tracker.GetAckRanges(buffer);
        return buffer[..count];
    }

    private static PacketNumberRange R(ulong smallest, ulong largest) => new(smallest, largest);

    [Fact]
    public void InOrderPackets_FormOneRange()
    {
        var tracker = AppData();
        for (ulong pn = 0; pn < 10; pn++) Assert.True(tracker.OnPacketReceived(pn, Ms(pn), isAckEliciting: false));

        Assert.Equal([R(0, 9)], Ranges(tracker));
        Assert.True(tracker.HasReceived);
        Assert.Equal(9UL, tracker.LargestReceived);
        Assert.Equal(Ms(9), tracker.LargestReceivedTime);
    }

    [Fact]
    public void ReorderedPackets_AreReportedDescendingAndMergedWhenGapsFill()
    {
        var tracker = AppData();
        foreach (ulong pn in new ulong[] { 0, 1, 5, 3, 8 }) tracker.OnPacketReceived(pn, Ms(1), isAckEliciting: false);

        Assert.Equal([R(8, 8), R(5, 5), R(3, 3), R(0, 1)], Ranges(tracker));

        tracker.OnPacketReceived(2, Ms(2), isAckEliciting: false); // joins [0..1] and [3]
        tracker.OnPacketReceived(4, Ms(2), isAckEliciting: false); // joins [0..3] and [5]
        tracker.OnPacketReceived(7, Ms(2), isAckEliciting: false); // extends [8] downwards

        Assert.Equal([R(7, 8), R(0, 5)], Ranges(tracker));
        tracker.OnPacketReceived(6, Ms(3), isAckEliciting: false);
        Assert.Equal([R(0, 8)], Ranges(tracker));
        Assert.Equal(1, tracker.RangeCount);
        // The largest packet number arrived at 1 ms; later, smaller ones do not move the ACK delay reference.
        Assert.Equal(Ms(1), tracker.LargestReceivedTime);
    }

    [Fact]
    public void Duplicate_IsReportedAndNotCounted()
    {
        var tracker = AppData();
        Assert.True(tracker.OnPacketReceived(5, Ms(0), isAckEliciting: true, EcnCodepoint.Ect0));

        Assert.True(tracker.IsDuplicate(5));
        Assert.False(tracker.IsDuplicate(4));
        Assert.False(tracker.IsDuplicate(6));
        Assert.False(tracker.OnPacketReceived(5, Ms(1), isAckEliciting: true, EcnCodepoint.Ect0));

        Assert.Equal(1UL, tracker.EcnCounts.Ect0);
        Assert.Equal(1, tracker.AckElicitingSinceLastAck);
        Assert.Equal([R(5, 5)], Ranges(tracker));
    }

    [Fact]
    public void RangeLimit_DropsOldestRangeAndTreatsItAsDuplicate()
    {
        var tracker = AppData(maxRanges: 3);
        foreach (ulong pn in new ulong[] { 0, 10, 20 }) tracker.OnPacketReceived(pn, Ms(0), isAckEliciting: false);

        Assert.True(tracker.OnPacketReceived(30, Ms(1), isAckEliciting: false));

        Assert.Equal([R(30, 30), R(20, 20), R(10, 10)], Ranges(tracker));
        Assert.True(tracker.IsDuplicate(0));
        Assert.False(tracker.OnPacketReceived(0, Ms(2), isAckEliciting: false));
        // A packet older than every remembered range cannot be remembered while the table is full.
        Assert.False(tracker.OnPacketReceived(5, Ms(2), isAckEliciting: false));
        // One that extends an existing range needs no new slot.
        Assert.True(tracker.OnPacketReceived(11, Ms(2), isAckEliciting: false));
        Assert.Equal([R(30, 30), R(20, 20), R(10, 11)], Ranges(tracker));
        // A new range in the middle evicts the oldest.
        Assert.True(tracker.OnPacketReceived(25, Ms(2), isAckEliciting: false));
        Assert.Equal([R(30, 30), R(25, 25), R(20, 20)], Ranges(tracker));
        Assert.True(tracker.IsDuplicate(11));
        Assert.False(tracker.IsDuplicate(12));
    }

    [Fact]
    public void ShortDestination_OmitsOldestRanges()
    {
        var tracker = AppData();
        foreach (ulong pn in new ulong[] { 1, 3, 5, 7 }) tracker.OnPacketReceived(pn, Ms(0), isAckEliciting: false);

        Assert.Equal([R(7, 7), R(5, 5)], Ranges(tracker, capacity: 2));
    }

    [Fact]
    public void InitialAndHandshake_AckEveryAckElicitingPacketImmediately()
    {
        foreach (PacketNumberSpace space in new[] { PacketNumberSpace.Initial, PacketNumberSpace.Handshake })
        {
            var tracker = new ReceivedPacketTracker(space);
            tracker.OnPacketReceived(0, Ms(10), isAckEliciting: true);

            Assert.Equal(Ms(10), tracker.AckDeadline);
            Assert.True(tracker.ShouldSendAck(Ms(10)));
        }
    }

    [Fact]
    public void NonAckElicitingPackets_NeverSetADeadline()
    {
        var tracker = new ReceivedPacketTracker(PacketNumberSpace.Initial);
        tracker.OnPacketReceived(0, Ms(0), isAckEliciting: false);
        tracker.OnPacketReceived(5, Ms(0), isAckEliciting: false); // even after a gap

        Assert.True(tracker.AckDeadline.IsNever);
        Assert.False(tracker.ShouldSendAck(Ms(1000)));
        Assert.True(tracker.HasPendingAck);
    }

    [Fact]
    public void ApplicationData_FirstAckElicitingPacketWaitsMaxAckDelay_SecondTriggersAck()
    {
        var tracker = AppData();

        tracker.OnPacketReceived(0, Ms(100), isAckEliciting: true);
        Assert.Equal(Ms(125), tracker.AckDeadline);
        Assert.False(tracker.ShouldSendAck(Ms(124)));
        Assert.True(tracker.ShouldSendAck(Ms(125)));

        tracker.OnPacketReceived(1, Ms(110), isAckEliciting: true);
        Assert.Equal(Ms(110), tracker.AckDeadline);

        tracker.OnAckSent(packetNumber: 0, largestAcknowledged: 1);
        Assert.True(tracker.AckDeadline.IsNever);
        Assert.Equal(0, tracker.AckElicitingSinceLastAck);
        Assert.False(tracker.HasPendingAck);
    }

    [Fact]
    public void ApplicationData_LaterPacketsDoNotPushDeadlineBack()
    {
        var tracker = AppData(threshold: 10);
        for (ulong pn = 0; pn < 9; pn++) tracker.OnPacketReceived(pn, Ms(100 + pn), isAckEliciting: true);

        Assert.Equal(Ms(125), tracker.AckDeadline);

        tracker.OnPacketReceived(9, Ms(109), isAckEliciting: true);
        Assert.Equal(Ms(109), tracker.AckDeadline);
    }

    [Fact]
    public void ApplicationData_PacketAfterGap_IsAckedImmediately()
    {
        var tracker = AppData(threshold: 10);
        tracker.OnPacketReceived(0, Ms(0), isAckEliciting: true);
        tracker.OnAckSent(0, 0);

        tracker.OnPacketReceived(2, Ms(5), isAckEliciting: true);

        Assert.Equal(Ms(5), tracker.AckDeadline);
    }

    [Fact]
    public void ApplicationData_NonAckElicitingPacketsClosingTheGap_AvoidImmediateAck()
    {
        var tracker = AppData(threshold: 10);
        tracker.OnPacketReceived(0, Ms(0), isAckEliciting: true);
        tracker.OnPacketReceived(1, Ms(0), isAckEliciting: false);

        tracker.OnPacketReceived(2, Ms(5), isAckEliciting: true);

        Assert.Equal(Ms(25), tracker.AckDeadline);
    }

    [Fact]
    public void ApplicationData_OutOfOrderPacketFillingGap_IsAckedImmediately()
    {
        var tracker = AppData(threshold: 10);
        tracker.OnPacketReceived(0, Ms(0), isAckEliciting: true);
        tracker.OnPacketReceived(2, Ms(1), isAckEliciting: true);
        tracker.OnAckSent(0, 2);

        tracker.OnPacketReceived(1, Ms(7), isAckEliciting: true);

        Assert.Equal(Ms(7), tracker.AckDeadline);
        Assert.Equal([R(0, 2)], Ranges(tracker));
    }

    [Fact]
    public void CongestionExperiencedMark_IsAckedImmediately()
    {
        var tracker = AppData(threshold: 10);
        tracker.OnPacketReceived(0, Ms(3), isAckEliciting: true, EcnCodepoint.Ce);

        Assert.Equal(Ms(3), tracker.AckDeadline);
        Assert.Equal(new EcnCounts(0, 0, 1), tracker.EcnCounts);
    }

    [Fact]
    public void EcnCounts_CountEachCodepoint()
    {
        var tracker = AppData();
        tracker.OnPacketReceived(0, Ms(0), isAckEliciting: false, EcnCodepoint.Ect0);
        tracker.OnPacketReceived(1, Ms(0), isAckEliciting: false, EcnCodepoint.Ect0);
        tracker.OnPacketReceived(2, Ms(0), isAckEliciting: false, EcnCodepoint.Ect1);
        tracker.OnPacketReceived(3, Ms(0), isAckEliciting: false, EcnCodepoint.Ce);
        tracker.OnPacketReceived(4, Ms(0), isAckEliciting: false, EcnCodepoint.NotEct);

        Assert.Equal(new EcnCounts(2, 1, 1), tracker.EcnCounts);
    }

    [Fact]
    public void AckDelay_IsTimeSinceLargestReceived()
    {
        var tracker = AppData();
        Assert.Equal(TimeSpan.Zero, tracker.GetAckDelay(Ms(5)));

        tracker.OnPacketReceived(4, Ms(10), isAckEliciting: true);
        tracker.OnPacketReceived(2, Ms(12), isAckEliciting: true);

        Assert.Equal(Span(8), tracker.GetAckDelay(Ms(18)));
        Assert.Equal(TimeSpan.Zero, tracker.GetAckDelay(Ms(9)));
    }

    [Fact]
    public void AcknowledgedAckFrame_PrunesRangesUpToItsLargestAcknowledged()
    {
        var tracker = AppData();
        foreach (ulong pn in new ulong[] { 0, 1, 2, 3, 4, 6, 7, 8, 9 }) tracker.OnPacketReceived(pn, Ms(0), isAckEliciting: true);
        tracker.OnAckSent(packetNumber: 100, largestAcknowledged: 7);
        tracker.OnPacketReceived(11, Ms(1), isAckEliciting: true);
        tracker.OnAckSent(packetNumber: 101, largestAcknowledged: 11);

        tracker.OnSentPacketAcknowledged(99);   // carried no ACK frame: nothing changes
        Assert.Equal([R(11, 11), R(6, 9), R(0, 4)], Ranges(tracker));

        tracker.OnSentPacketAcknowledged(100);
        Assert.Equal([R(11, 11), R(8, 9)], Ranges(tracker));
        Assert.True(tracker.IsDuplicate(5)); // never received, but below the pruned point: not accepted any more
        Assert.True(tracker.IsDuplicate(7));
        Assert.False(tracker.IsDuplicate(10));
        Assert.Equal(11UL, tracker.LargestReceived);

        tracker.OnSentPacketAcknowledged(101);
        Assert.Empty(Ranges(tracker));
        Assert.Equal(11UL, tracker.LargestReceived);
        Assert.True(tracker.IsDuplicate(11));
    }

    [Fact]
    public void LaterAckFrameAcknowledged_SupersedesEarlierOnes()
    {
        var tracker = AppData();
        for (ulong pn = 0; pn < 4; pn++) tracker.OnPacketReceived(pn, Ms(0), isAckEliciting: true);
        tracker.OnAckSent(10, 1);
        tracker.OnAckSent(11, 3);
        tracker.OnPacketReceived(5, Ms(0), isAckEliciting: true);

        tracker.OnSentPacketAcknowledged(11);
        Assert.Equal([R(5, 5)], Ranges(tracker));

        // The older ACK's acknowledgment arriving late changes nothing.
        tracker.OnSentPacketAcknowledged(10);
        Assert.Equal([R(5, 5)], Ranges(tracker));
    }
}
