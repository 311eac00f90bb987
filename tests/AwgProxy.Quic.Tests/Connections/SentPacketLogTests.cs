using AwgProxy.Quic.Connections;

namespace AwgProxy.Quic.Tests.Connections;

public class SentPacketLogTests
{
    [Fact]
    public void FramesAreReturnedPerPacket_AndReleasedInAnyOrder()
    {
        var log = new SentPacketLog();
        var tokens = new List<long>();
        for (int p = 0; p < 5000; p++)
        {
            long token = log.BeginPacket();
            for (int f = 0; f < p % 4; f++) log.Add(new SentFrame(SentFrameKind.Stream, (ulong)p, (ulong)f, f, false));
            log.EndPacket();
            tokens.Add(token);
        }

        Assert.Equal(5000, log.LivePackets);
        var random = new Random(1);
        foreach (long token in tokens.OrderBy(_ => random.Next()))
        {
            Assert.True(log.TryGetFrames(token, out long first, out int count));
            int packet = (int)(token - tokens[0]);
            Assert.Equal(packet % 4, count);
            for (int f = 0; f < count; f++)
            {
                SentFrame frame = log.FrameAt(first + f);
                Assert.Equal((ulong)packet, frame.Id);
                Assert.Equal((ulong)f, frame.Value);
            }

            log.Release(token);
            Assert.False(log.TryGetFrames(token, out _, out _));
        }

        Assert.Equal(0, log.LivePackets);
    }

    [Fact]
    public void UnknownAndRepeatedReleases_AreIgnored()
    {
        var log = new SentPacketLog();
        long token = log.BeginPacket();
        log.EndPacket();
        log.Release(token);
        log.Release(token);
        log.Release(token + 100);
        log.Release(0);

        Assert.Equal(0, log.LivePackets);
        Assert.NotEqual(0, log.BeginPacket());
    }

    [Fact]
    public void SteadyState_ReusesTheRings()
    {
        var log = new SentPacketLog();
        var window = new Queue<long>();
        for (int i = 0; i < 10_000; i++)
        {
            window.Enqueue(log.BeginPacket());
            log.Add(new SentFrame(SentFrameKind.Crypto, 0, (ulong)i, 1, false));
            log.EndPacket();
            if (window.Count > 100) log.Release(window.Dequeue());
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            window.Enqueue(log.BeginPacket());
            log.Add(new SentFrame(SentFrameKind.Crypto, 0, (ulong)i, 1, false));
            log.EndPacket();
            log.Release(window.Dequeue());
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
