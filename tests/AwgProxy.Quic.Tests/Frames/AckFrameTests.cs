using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Tests.Frames;

public class AckFrameTests
{
    // Ranges 90-100, 50-80, 10-20: gaps 90-80-2 = 8 and 50-20-2 = 28, lengths 30 and 10.
    private const string ThreeRanges = "02 4064 05 02 0a 08 1e 1c 0a";

    private static readonly PacketNumberRange[] ThreeRangeList = [new(90, 100), new(50, 80), new(10, 20)];

    [Fact]
    public void Rfc9001ServerInitialAck_Parses()
    {
        // RFC 9001 appendix A.3: the server's Initial starts with an ACK of packet 0.
        byte[] encoding = FrameAssert.Hex("02 00 00 00 00");
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(AckFrame.TryParse(ref reader, FrameType.Ack, out AckFrame frame));
        Assert.Equal(0UL, frame.LargestAcknowledged);
        Assert.Equal(0UL, frame.SmallestAcknowledged);
        Assert.Equal(1, frame.RangeCount);
        Assert.Null(frame.EcnCounts);
    }

    [Fact]
    public void MultipleRanges_ParseAndEnumerateFromTheHighest()
    {
        byte[] encoding = FrameAssert.Hex(ThreeRanges);
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(AckFrame.TryParse(ref reader, FrameType.Ack, out AckFrame frame));
        Assert.Equal(100UL, frame.LargestAcknowledged);
        Assert.Equal(5UL, frame.AckDelay);
        Assert.Equal(2, frame.AckRangeCount);
        Assert.Equal(10UL, frame.SmallestAcknowledged);
        Assert.Equal(ThreeRangeList, Ranges(frame));
        Assert.Equal(encoding.Length, frame.Length);
        FrameAssert.EveryTruncationFails(encoding, (ref SpanReader r, FrameType t) => AckFrame.TryParse(ref r, t, out _));
    }

    [Fact]
    public void BuiltFrame_WritesTheKnownEncoding()
    {
        var frame = new AckFrame(ThreeRangeList, ackDelay: 5);
        byte[] buffer = new byte[frame.Length];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(frame.Length, writer.Position);
        Assert.Equal(FrameAssert.Hex(ThreeRanges), buffer);
        Assert.Equal(ThreeRangeList, Ranges(frame));
    }

    [Fact]
    public void EcnCounts_RoundTrip()
    {
        var ecn = new EcnCounts(10, 0, 1UL << 40);
        var frame = new AckFrame(ThreeRangeList, ackDelay: 1000, ecn);
        Assert.Equal(FrameType.AckEcn, frame.Type);
        byte[] buffer = new byte[frame.Length];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(frame.Length, writer.Position);
        Assert.Equal(0x03, buffer[0]);
        var reader = FrameAssert.ReaderAfterType(buffer);
        Assert.True(AckFrame.TryParse(ref reader, FrameType.AckEcn, out AckFrame parsed));
        Assert.Equal(ecn, parsed.EcnCounts);
        Assert.Equal(ThreeRangeList, Ranges(parsed));
        FrameAssert.EveryTruncationFails(buffer, (ref SpanReader r, FrameType t) => AckFrame.TryParse(ref r, t, out _));

        // A parsed frame writes back the same bytes.
        byte[] again = new byte[parsed.Length];
        var writer2 = new SpanWriter(again);
        parsed.Write(ref writer2);
        Assert.Equal(buffer, again);
        Assert.Equal(FrameType.AckEcn, FrameAssert.ReadSingleType(buffer));
    }

    [Theory]
    [InlineData("02 05 00 00 06")] // First ACK Range larger than Largest Acknowledged
    [InlineData("02 05 00 01 02 02 00")] // smallest 3, gap 2: next largest would be -1
    [InlineData("02 05 00 01 02 00 02")] // next range 1..-1
    [InlineData("02 05 00 bfffffffffffffff 00")] // a huge range count with too few bytes
    public void RangesBelowZeroOrTruncated_AreRejected(string hex)
    {
        byte[] encoding = FrameAssert.Hex(hex);
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.False(AckFrame.TryParse(ref reader, FrameType.Ack, out _));
        Assert.Equal(0, reader.Position);
    }

    [Fact]
    public void RangeReachingExactlyZero_IsAccepted()
    {
        byte[] encoding = FrameAssert.Hex("02 05 00 01 02 00 01");
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(AckFrame.TryParse(ref reader, FrameType.Ack, out AckFrame frame));
        Assert.Equal(new PacketNumberRange[] { new(3, 5), new(0, 1) }, Ranges(frame));
    }

    [Fact]
    public void Constructor_RejectsUnsortedOrTouchingRanges()
    {
        Assert.Throws<ArgumentException>(() => new AckFrame([], 0));
        Assert.Throws<ArgumentException>(() => new AckFrame([new(10, 20), new(30, 40)], 0));
        Assert.Throws<ArgumentException>(() => new AckFrame([new(10, 20), new(5, 9)], 0));
        Assert.Throws<ArgumentException>(() => new AckFrame([new(20, 10)], 0));
        _ = new AckFrame([new(10, 20), new(5, 8)], 0);
    }

    [Fact]
    public void RandomRangeLists_RoundTrip()
    {
        var random = new Random(9000);
        for (int iteration = 0; iteration < 500; iteration++)
        {
            PacketNumberRange[] ranges = RandomRanges(random, random.Next(1, 40));
            ulong delay = (ulong)random.NextInt64(0, 1L << 40);
            var frame = new AckFrame(ranges, delay);
            byte[] buffer = new byte[frame.Length];
            var writer = new SpanWriter(buffer);
            frame.Write(ref writer);
            Assert.Equal(frame.Length, writer.Position);
            var reader = FrameAssert.ReaderAfterType(buffer);
            Assert.True(AckFrame.TryParse(ref reader, FrameType.Ack, out AckFrame parsed));
            Assert.Equal(ranges, Ranges(parsed));
            Assert.Equal(delay, parsed.AckDelay);
            Assert.Equal(ranges[^1].Smallest, parsed.SmallestAcknowledged);
        }
    }

    [Theory]
    [InlineData(12)]
    [InlineData(19)]
    [InlineData(20)]
    [InlineData(50)]
    [InlineData(200)]
    [InlineData(100000)]
    public void GetRangeCountThatFits_FitsAndOneMoreDoesNot(int room)
    {
        PacketNumberRange[] ranges = RandomRanges(new Random(room), 300);
        var ecn = new EcnCounts(1, 2, 3);
        int count = AckFrame.GetRangeCountThatFits(ranges, 100, ecn, room);
        Assert.InRange(count, 0, ranges.Length);
        if (count == 0)
        {
            Assert.True(new AckFrame(ranges.AsSpan(0, 1), 100, ecn).Length > room);
            return;
        }

        Assert.True(new AckFrame(ranges.AsSpan(0, count), 100, ecn).Length <= room);
        if (count < ranges.Length)
        {
            Assert.True(new AckFrame(ranges.AsSpan(0, count + 1), 100, ecn).Length > room);
        }
    }

    [Fact]
    public void GetRangeCountThatFits_NoRoom_ReturnsZero()
    {
        Assert.Equal(0, AckFrame.GetRangeCountThatFits(ThreeRangeList, 0, null, 4));
        Assert.Equal(1, AckFrame.GetRangeCountThatFits(ThreeRangeList, 0, null, 6));
    }

    [Fact]
    public void AckDelay_ScalesByTheExponent()
    {
        Assert.Equal(3125UL, AckFrame.EncodeAckDelay(TimeSpan.FromMilliseconds(25), 3));
        Assert.Equal(TimeSpan.FromMilliseconds(25), AckFrame.DecodeAckDelay(3125, 3));
        Assert.Equal(0UL, AckFrame.EncodeAckDelay(TimeSpan.FromMilliseconds(-1), 3));
        Assert.Equal(TimeSpan.MaxValue, AckFrame.DecodeAckDelay(VarInt.MaxValue, 20));
        Assert.Equal((ulong)(TimeSpan.MaxValue.Ticks / 10), AckFrame.EncodeAckDelay(TimeSpan.MaxValue, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => AckFrame.EncodeAckDelay(TimeSpan.Zero, 21));
    }

    private static PacketNumberRange[] Ranges(AckFrame frame)
    {
        var list = new List<PacketNumberRange>();
        foreach (PacketNumberRange range in frame)
        {
            list.Add(range);
        }

        Assert.Equal(frame.RangeCount, list.Count);
        return [.. list];
    }

    /// <summary>Valid descending ranges with random gaps and lengths, some crossing varint size boundaries.</summary>
    private static PacketNumberRange[] RandomRanges(Random random, int count)
    {
        var ranges = new PacketNumberRange[count];
        ulong next = (ulong)random.NextInt64(1L << 40, 1L << 50);
        for (int i = 0; i < count; i++)
        {
            ulong length = (ulong)(random.Next(4) == 0 ? random.Next(0, 20000) : random.Next(0, 60));
            ulong largest = next;
            ulong smallest = largest - length;
            ranges[i] = new PacketNumberRange(smallest, largest);
            ulong gap = (ulong)(random.Next(4) == 0 ? random.Next(0, 20000) : random.Next(0, 60));
            next = smallest - gap - 2;
        }

        return ranges;
    }
}
