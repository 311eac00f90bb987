namespace AwgProxy.AmneziaWG.Tests;

/// <summary>
/// <see cref="SystemRandomSource"/> serves small reads from a per-thread block of CSPRNG output: every byte is handed
/// out once, reads across a refill continue with fresh bytes, large reads go straight to the CSPRNG, threads do not
/// share bytes, and steady-state small reads allocate nothing.
/// </summary>
public class SystemRandomSourceTests
{
    [Fact]
    public void SmallReadsAcrossManyBlocks_NeverRepeatABlock_AndLookUniform()
    {
        // 3-byte reads (a header value's worth) through 64 blocks, so reads straddle refills.
        const int Reads = 64 * SystemRandomSource.BlockSize / 3;
        byte[] stream = new byte[Reads * 3];
        for (int i = 0; i < Reads; i++) SystemRandomSource.Instance.Read(stream.AsSpan(i * 3, 3));

        // No 32-byte window repeats at any block-sized distance: a block served twice would.
        for (int offset = 0; offset + SystemRandomSource.BlockSize + 32 <= stream.Length; offset += 997)
        {
            Assert.False(stream.AsSpan(offset, 32).SequenceEqual(stream.AsSpan(offset + SystemRandomSource.BlockSize, 32)), $"repeat at {offset}");
        }

        // Every byte value appears about equally often (262,143 bytes: 1,024 expected per value, standard deviation
        // about 32; the bound is seven of them).
        int[] counts = new int[256];
        foreach (byte b in stream) counts[b]++;
        Assert.All(counts, c => Assert.InRange(c, 800, 1250));
    }

    [Fact]
    public void LargeAndEmptyReads_AreServed()
    {
        byte[] large = new byte[SystemRandomSource.DirectReadThreshold * 4];
        SystemRandomSource.Instance.Read(large);
        Assert.Contains(large, b => b != 0);
        Assert.True(large.Distinct().Count() > 200);

        SystemRandomSource.Instance.Read(Span<byte>.Empty);
    }

    [Fact]
    public async Task Threads_GetDifferentBytes()
    {
        byte[][] results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            byte[] bytes = new byte[64];
            for (int i = 0; i < 8; i++) SystemRandomSource.Instance.Read(bytes.AsSpan(i * 8, 8));
            return bytes;
        })));

        Assert.Equal(4, results.Select(Convert.ToHexString).Distinct().Count());
    }

    [Fact]
    public void SteadyStateSmallReads_AllocateNothing()
    {
        Span<byte> value = stackalloc byte[4];
        for (int i = 0; i < 2 * SystemRandomSource.BlockSize; i++) SystemRandomSource.Instance.Read(value);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 4 * SystemRandomSource.BlockSize; i++) SystemRandomSource.Instance.Read(value);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
