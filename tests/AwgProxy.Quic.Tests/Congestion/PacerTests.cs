using AwgProxy.Quic.Congestion;
using static AwgProxy.Quic.Tests.Recovery.Time;

namespace AwgProxy.Quic.Tests.Congestion;

public class PacerTests
{
    private const int Size = 1200;

    // 120 000 bytes per second: one 1200-byte packet every 10 ms.
    private const long Rate = 120_000;

    [Fact]
    public void InitialBurst_LeavesAtOnceThenPacketsAreSpacedByRate()
    {
        var pacer = new Pacer(Size, initialBurstBytes: 12_000);
        Instant now = Ms(0);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(now, pacer.NextSendTime(now, Size, Rate));
            pacer.OnPacketSent(now, Size, Rate);
        }

        Assert.Equal(Ms(10), pacer.NextSendTime(now, Size, Rate));
        Assert.Equal(Ms(10), pacer.NextSendTime(Ms(4), Size, Rate));

        pacer.OnPacketSent(Ms(10), Size, Rate);
        Assert.Equal(Ms(20), pacer.NextSendTime(Ms(10), Size, Rate));
    }

    [Fact]
    public void IdleRefill_IsCappedAtBurstCapacity()
    {
        var pacer = new Pacer(Size, initialBurstBytes: 0, burstPackets: 4);
        pacer.OnPacketSent(Ms(0), 0, Rate); // starts the clock with an empty bucket

        Instant later = Ms(10_000);
        Assert.Equal(later, pacer.NextSendTime(later, Size, Rate));
        Assert.Equal(4 * Size, pacer.Tokens);
        for (int i = 0; i < 4; i++) pacer.OnPacketSent(later, Size, Rate);

        Assert.Equal(later + Span(10), pacer.NextSendTime(later, Size, Rate));
    }

    [Fact]
    public void PartialTokens_WaitOnlyForTheMissingBytes()
    {
        var pacer = new Pacer(Size, initialBurstBytes: 600);

        // 600 bytes missing at 120 000 B/s: 5 ms.
        Assert.Equal(Ms(5), pacer.NextSendTime(Ms(0), Size, Rate));
        // Half-sized packets fit at once.
        Assert.Equal(Ms(0), pacer.NextSendTime(Ms(0), 600, Rate));
    }

    [Fact]
    public void UnlimitedRate_NeverWaits()
    {
        var pacer = new Pacer(Size, initialBurstBytes: 0);

        Assert.Equal(Ms(3), pacer.NextSendTime(Ms(3), Size, long.MaxValue));
    }

    [Fact]
    public void PacketLargerThanCapacity_WaitsForFullBucketOnly()
    {
        var pacer = new Pacer(Size, initialBurstBytes: 0, burstPackets: 1);

        // Needs the full 1200-byte bucket (10 ms), not the 3000 bytes asked for.
        Assert.Equal(Ms(10), pacer.NextSendTime(Ms(0), 3000, Rate));
    }

    [Fact]
    public void HighRate_BucketHoldsTheBurstIntervalAtThatRate()
    {
        var pacer = new Pacer(Size, initialBurstBytes: 0);
        const long gigabit = 125_000_000; // bytes per second: 2 ms hold 250 000 bytes
        pacer.OnPacketSent(Ms(0), 0, gigabit);

        Assert.Equal(10 * Size, pacer.CapacityAt(Rate));
        Assert.Equal(250_000, pacer.CapacityAt(gigabit));
        Assert.Equal(Pacer.MaxBurstPackets * Size, pacer.CapacityAt(100 * gigabit));
        Assert.Equal(10 * Size, pacer.CapacityAt(long.MaxValue));

        // After an idle second the bucket holds 2 ms of data: 208 full packets leave at once; the 400 bytes left are
        // not a packet, so the next one waits.
        Instant later = Ms(1000);
        int sent = 0;
        while (pacer.NextSendTime(later, Size, gigabit) == later)
        {
            pacer.OnPacketSent(later, Size, gigabit);
            sent++;
        }

        Assert.Equal(208, sent);
        Assert.True(pacer.NextSendTime(later, Size, gigabit) > later);
    }

    [Fact]
    public void RateFromWindow_FollowsRfcFormula()
    {
        Assert.Equal(150_000, Pacer.RateFromWindow(12_000, Span(100)));
        Assert.Equal(1_500_000_000, Pacer.RateFromWindow(12_000, TimeSpan.FromTicks(100)));
        Assert.Equal(long.MaxValue, Pacer.RateFromWindow(12_000, TimeSpan.Zero));
    }
}
