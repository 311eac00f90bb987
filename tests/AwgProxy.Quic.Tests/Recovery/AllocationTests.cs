using AwgProxy.Quic.Congestion;
using AwgProxy.Quic.Recovery;

namespace AwgProxy.Quic.Tests.Recovery;

/// <summary>The per-packet paths allocate nothing once their buffers have grown to the working size.</summary>
public class AllocationTests
{
    private const PacketNumberSpace App = PacketNumberSpace.ApplicationData;

    [Fact]
    public void SteadyStateSendAndAck_AllocatesNothing()
    {
        var ld = new LossDetection(isServer: true, new NewReno());
        ld.OnHandshakeConfirmed(Instant.Zero);
        var receiver = new ReceivedPacketTracker(App);
        var pacer = new Pacer(1200, 12_000);
        var callbacks = new CountingCallbacks();
        PacketNumberRange[] ranges = new PacketNumberRange[8];
        ulong pn = 0;
        long tick = 0;

        void Run(int rounds)
        {
            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < 8; i++)
                {
                    var now = new Instant(tick += 1000);
                    ld.OnPacketSent(App, pn, now, 1200, isAckEliciting: true, isInFlight: true, token: (long)pn);
                    pacer.OnPacketSent(now, 1200, ld.CongestionController.GetPacingRate(ld.Rtt));
                    // Every eighth packet is lost on the way, the rest arrive.
                    if (pn % 8 != 3) receiver.OnPacketReceived(pn, now, isAckEliciting: true);
                    pn++;
                }
                var ackTime = new Instant(tick += 100_000);
                int count = receiver.GetAckRanges(ranges);
                ld.OnAckReceived(App, ranges.AsSpan(0, count), receiver.GetAckDelay(ackTime), null, ackTime, ref callbacks);
                receiver.OnAckSent(pn, ranges[0].Largest);
                receiver.IgnoreBelow(pn > 64 ? pn - 64 : 0);
                ld.OnLossDetectionTimeout(ackTime, ref callbacks);
            }
        }

        Run(200); // warm up: buffers reach their working size, code is jitted
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(2000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(callbacks.Acked > 0 && callbacks.Lost > 0);
    }

    private struct CountingCallbacks : ILossDetectionCallbacks
    {
        public int Acked;
        public int Lost;

        public void OnPacketAcked(PacketNumberSpace space, in SentPacket packet) => Acked++;

        public void OnPacketLost(PacketNumberSpace space, in SentPacket packet) => Lost++;

        public void OnPacketDiscarded(PacketNumberSpace space, in SentPacket packet)
        {
        }
    }
}
