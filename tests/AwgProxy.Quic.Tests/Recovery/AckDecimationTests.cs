using AwgProxy.Quic.Recovery;
using static AwgProxy.Quic.Tests.Recovery.Time;

namespace AwgProxy.Quic.Tests.Recovery;

/// <summary>ACK decimation of <see cref="ReceivedPacketTracker"/> during bulk transfer.</summary>
public class AckDecimationTests
{
    private static ReceivedPacketTracker Bulk(int after = 4)
    {
        var tracker = new ReceivedPacketTracker(PacketNumberSpace.ApplicationData, Span(25), ackElicitingThreshold: 2)
        {
            BulkAckElicitingThreshold = 10,
            BulkAfterPackets = after,
            BulkAckDelay = Span(5),
        };
        return tracker;
    }

    /// <summary>Receives packets in order from <paramref name="first"/>; returns how many made the ACK due at once.</summary>
    private static int ReceiveInOrder(ReceivedPacketTracker tracker, ulong first, int count, Instant now)
    {
        int immediate = 0;
        for (ulong pn = first; pn < first + (ulong)count; pn++)
        {
            tracker.OnPacketReceived(pn, now, isAckEliciting: true);
            if (tracker.ShouldSendAck(now))
            {
                immediate++;
                tracker.OnAckSent(1000 + pn, pn);
            }
        }

        return immediate;
    }

    [Fact]
    public void BeforeBulkStarts_EverySecondPacketIsAcknowledgedAtOnce()
    {
        var tracker = Bulk(after: 100);

        Assert.Equal(10, ReceiveInOrder(tracker, 0, 20, Ms(1)));
        Assert.False(tracker.IsDecimating);
    }

    [Fact]
    public void AfterBulkStarts_OneAckPerTenPackets()
    {
        var tracker = Bulk(after: 4);
        ReceiveInOrder(tracker, 0, 4, Ms(1));

        Assert.True(tracker.IsDecimating);
        Assert.Equal(10, ReceiveInOrder(tracker, 4, 100, Ms(2)));
    }

    [Fact]
    public void WhileDecimating_TheDelayIsTheBulkDelay()
    {
        var tracker = Bulk(after: 4);
        ReceiveInOrder(tracker, 0, 4, Ms(1));
        tracker.OnAckSent(2000, 3);

        tracker.OnPacketReceived(4, Ms(10), isAckEliciting: true);

        Assert.Equal(Ms(15), tracker.AckDeadline);
    }

    [Fact]
    public void BulkDelay_NeverExceedsMaxAckDelay()
    {
        var tracker = Bulk();
        tracker.BulkAckDelay = Span(100);

        Assert.Equal(Span(25), tracker.BulkAckDelay);
    }

    [Fact]
    public void WhileDecimating_AGapIsStillAcknowledgedAtOnce()
    {
        var tracker = Bulk(after: 4);
        ReceiveInOrder(tracker, 0, 4, Ms(1));
        tracker.OnAckSent(2000, 3);

        tracker.OnPacketReceived(6, Ms(2), isAckEliciting: true); // 4 and 5 missing

        Assert.True(tracker.ShouldSendAck(Ms(2)));
    }

    [Fact]
    public void WhileDecimating_CeIsStillAcknowledgedAtOnce()
    {
        var tracker = Bulk(after: 4);
        ReceiveInOrder(tracker, 0, 4, Ms(1));
        tracker.OnAckSent(2000, 3);

        tracker.OnPacketReceived(4, Ms(2), isAckEliciting: true, EcnCodepoint.Ce);

        Assert.True(tracker.ShouldSendAck(Ms(2)));
    }

    [Fact]
    public void ZeroBulkThreshold_NeverDecimates()
    {
        var tracker = new ReceivedPacketTracker(PacketNumberSpace.ApplicationData, Span(25), ackElicitingThreshold: 2) { BulkAfterPackets = 1 };

        Assert.Equal(50, ReceiveInOrder(tracker, 0, 100, Ms(1)));
        Assert.False(tracker.IsDecimating);
    }
}
