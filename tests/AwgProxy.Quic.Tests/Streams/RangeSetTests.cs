using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Tests.Streams;

public class RangeSetTests
{
    [Fact]
    public void Add_MergesOverlappingAndAdjacentRanges()
    {
        var set = new RangeSet();
        set.Add(10, 20);
        set.Add(30, 40);
        Assert.Equal(2, set.Count);
        set.Add(20, 30); // touches both
        Assert.Equal(1, set.Count);
        Assert.Equal(new ByteRange(10, 40), set.First);
        set.Add(5, 8);
        set.Add(50, 60);
        set.Add(0, 100);
        Assert.Equal(1, set.Count);
        Assert.Equal(new ByteRange(0, 100), set.First);
    }

    [Fact]
    public void Remove_TrimsAndSplits()
    {
        var set = new RangeSet();
        set.Add(0, 100);
        set.Remove(40, 60);
        Assert.Equal(2, set.Count);
        Assert.Equal(new ByteRange(0, 40), set[0]);
        Assert.Equal(new ByteRange(60, 100), set[1]);
        set.Remove(30, 70);
        Assert.Equal(new ByteRange(0, 30), set[0]);
        Assert.Equal(new ByteRange(70, 100), set[1]);
        set.Remove(0, 100);
        Assert.True(set.IsEmpty);
    }

    [Fact]
    public void RandomOperations_MatchABitmapModel()
    {
        var random = new Random(1234);
        for (int round = 0; round < 200; round++)
        {
            var set = new RangeSet();
            var model = new bool[300];
            for (int op = 0; op < 60; op++)
            {
                int start = random.Next(0, 300);
                int end = Math.Min(300, start + random.Next(0, 40));
                bool add = random.Next(3) != 0;
                if (add) set.Add((ulong)start, (ulong)end);
                else set.Remove((ulong)start, (ulong)end);
                for (int i = start; i < end; i++) model[i] = add;

                int probe = random.Next(0, 300);
                int probeEnd = Math.Min(300, probe + random.Next(1, 10));
                bool all = true;
                for (int i = probe; i < probeEnd; i++) all &= model[i];
                Assert.Equal(all, set.Contains((ulong)probe, (ulong)probeEnd));
            }

            AssertMatches(model, set);
        }
    }

    private static void AssertMatches(bool[] model, RangeSet set)
    {
        var expected = new List<ByteRange>();
        for (int i = 0; i < model.Length; i++)
        {
            if (!model[i]) continue;
            int start = i;
            while (i < model.Length && model[i]) i++;
            expected.Add(new ByteRange((ulong)start, (ulong)i));
        }

        Assert.Equal(expected.Count, set.Count);
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i], set[i]);
    }
}
