using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Tests.Streams;

/// <summary>The per-frame path (write, peek, copy, mark sent, insert, ack, read, flow-control updates) allocates nothing once warm.</summary>
public class SteadyStateAllocationTests
{
    [Fact]
    public void StreamFramePath_WithReordering_AllocatesNothingInSteadyState()
    {
        var id = new StreamId(0);
        using var sender = new SendStream(id, 64 * 1024, 256 * 1024);
        using var receiver = new ReceiveStream(id, 256 * 1024, 256 * 1024);
        var sendConnection = new SendCredit(512 * 1024);
        var receiveConnection = new ReceiveWindow(512 * 1024, 512 * 1024);
        var appData = new byte[3000];
        var held = new byte[1500];
        var packet = new byte[1500];
        var readBuffer = new byte[4096];
        Instant now = Instant.Zero;
        var rtt = TimeSpan.FromMilliseconds(10);
        int failures = 0; // xunit asserts may allocate, so the loop only counts

        void Step(int iteration)
        {
            sender.Write(appData);

            // Two frames per step, delivered in swapped order, acknowledged in swapped order.
            if (!sender.TryPeekNext(sendConnection, 1200, out ulong firstOffset, out int firstLength, out _)) failures++;
            sender.CopyTo(firstOffset, held.AsSpan(0, firstLength));
            sender.MarkSent(firstOffset, firstLength, false, sendConnection);
            if (!sender.TryPeekNext(sendConnection, 1200, out ulong secondOffset, out int secondLength, out _)) failures++;
            sender.CopyTo(secondOffset, packet.AsSpan(0, secondLength));
            sender.MarkSent(secondOffset, secondLength, false, sendConnection);

            if (receiver.OnStreamFrame(secondOffset, packet.AsSpan(0, secondLength), false, receiveConnection) != TransportErrorCode.NO_ERROR) failures++;
            if (receiver.OnStreamFrame(firstOffset, held.AsSpan(0, firstLength), false, receiveConnection) != TransportErrorCode.NO_ERROR) failures++;
            sender.OnAcked(secondOffset, secondLength, false);
            if (iteration % 7 == 0)
            {
                sender.OnLost(firstOffset, firstLength, false); // a spurious loss, repaired by the late ack below
            }

            sender.OnAcked(firstOffset, firstLength, false);
            while (receiver.Read(readBuffer, receiveConnection) > 0)
            {
            }

            now += TimeSpan.FromMilliseconds(1);
            if (receiver.NeedsMaxStreamData) sender.OnMaxStreamData(receiver.TakeMaxStreamData(now, rtt, receiveConnection));
            if (receiveConnection.IsUpdateDue) sendConnection.OnLimitReceived(receiveConnection.TakeUpdate(now, rtt));
        }

        for (int i = 0; i < 3000; i++) Step(i);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 3000; i < 6000; i++) Step(i);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);
        Assert.True(sender.SentOffset > 6_000_000UL);
    }
}
