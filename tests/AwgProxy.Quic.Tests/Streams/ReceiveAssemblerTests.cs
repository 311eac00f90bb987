using System.Security.Cryptography;
using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Tests.Streams;

public class ReceiveAssemblerTests
{
    private const TransportErrorCode Ok = TransportErrorCode.NO_ERROR;

    private static byte[] Source(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static byte[] ReadAll(ReceiveAssembler assembler)
    {
        var output = new byte[assembler.ReadableBytes];
        Assert.Equal(output.Length, assembler.Read(output));
        return output;
    }

    [Fact]
    public void InOrderChunks_AreReadableImmediately_AndFinish()
    {
        byte[] source = Source(10_000, 1);
        using var assembler = new ReceiveAssembler(1 << 20, TransportErrorCode.CRYPTO_BUFFER_EXCEEDED);
        var received = new List<byte>();
        for (int offset = 0; offset < source.Length; offset += 1200)
        {
            int length = Math.Min(1200, source.Length - offset);
            bool fin = offset + length == source.Length;
            Assert.Equal(Ok, assembler.Insert((ulong)offset, source.AsSpan(offset, length), fin));
            Assert.Equal(length, assembler.ReadableBytes);
            received.AddRange(ReadAll(assembler));
        }

        Assert.Equal(source, received.ToArray());
        Assert.True(assembler.IsAllReceived);
        Assert.True(assembler.IsFinished);
        Assert.Equal((ulong)source.Length, assembler.FinalSize);
    }

    [Fact]
    public void ReversedChunks_BecomeReadableOnlyWhenTheFirstArrives()
    {
        byte[] source = Source(5_000, 2);
        using var assembler = new ReceiveAssembler(1 << 16, TransportErrorCode.FLOW_CONTROL_ERROR);
        var offsets = new List<int>();
        for (int offset = 0; offset < source.Length; offset += 700) offsets.Add(offset);
        offsets.Reverse();
        foreach (int offset in offsets)
        {
            int length = Math.Min(700, source.Length - offset);
            Assert.Equal(Ok, assembler.Insert((ulong)offset, source.AsSpan(offset, length), offset + length == source.Length));
            if (offset != 0) Assert.Equal(0, assembler.ReadableBytes);
        }

        Assert.True(assembler.IsAllReceived);
        Assert.False(assembler.IsFinished);
        Assert.Equal(source, ReadAll(assembler));
        Assert.True(assembler.IsFinished);
    }

    [Fact]
    public void RandomOverlappingDuplicatedChunks_InterleavedReads_ReassembleExactly()
    {
        var random = new Random(20240611);
        for (int round = 0; round < 300; round++)
        {
            int length = random.Next(0, 20_000);
            byte[] source = Source(length, round);
            var chunks = new List<(int Offset, int Length)>();

            // A partition that covers every byte, plus overlapping extras and exact duplicates.
            for (int offset = 0; offset < length;)
            {
                int size = Math.Min(length - offset, random.Next(1, 1500));
                chunks.Add((offset, size));
                offset += size;
            }

            int extras = random.Next(0, 30);
            for (int i = 0; i < extras && length > 0; i++)
            {
                int offset = random.Next(0, length);
                chunks.Add((offset, Math.Min(length - offset, random.Next(0, 3000))));
            }

            int duplicates = random.Next(0, 10);
            for (int i = 0; i < duplicates && chunks.Count > 0; i++) chunks.Add(chunks[random.Next(chunks.Count)]);
            if (length == 0) chunks.Add((0, 0));
            Shuffle(chunks, random);

            using var assembler = new ReceiveAssembler(Math.Max(1, length), TransportErrorCode.CRYPTO_BUFFER_EXCEEDED);
            using var received = new MemoryStream();
            var buffer = new byte[random.Next(1, 4000)];
            foreach ((int offset, int size) in chunks)
            {
                bool fin = offset + size == length && random.Next(2) == 0;
                Assert.Equal(Ok, assembler.Insert((ulong)offset, source.AsSpan(offset, size), fin));
                if (random.Next(3) == 0) received.Write(buffer, 0, assembler.Read(buffer));
            }

            Assert.Equal(Ok, assembler.Insert((ulong)length, default, fin: true)); // the FIN, in case no chunk carried it
            int read;
            while ((read = assembler.Read(buffer)) > 0) received.Write(buffer, 0, read);

            Assert.True(assembler.IsFinished);
            Assert.Equal(SHA256.HashData(source), SHA256.HashData(received.ToArray()));
            Assert.Equal(length, (int)received.Length);
        }
    }

    [Fact]
    public void ZeroCopyReads_AcrossTheRingWrap_ReturnTheSameBytes()
    {
        byte[] source = Source(50_000, 3);
        using var assembler = new ReceiveAssembler(6000, TransportErrorCode.FLOW_CONTROL_ERROR);
        var received = new List<byte>();
        int sent = 0;
        var random = new Random(3);
        while (received.Count < source.Length)
        {
            // Keep within the 6000-byte limit past the read offset, like flow control would.
            int room = 6000 - (sent - received.Count);
            int size = Math.Min(Math.Min(room, random.Next(1, 2500)), source.Length - sent);
            if (size > 0)
            {
                Assert.Equal(Ok, assembler.Insert((ulong)sent, source.AsSpan(sent, size), sent + size == source.Length));
                sent += size;
            }

            ReadOnlySpan<byte> span = assembler.GetReadableSpan();
            int take = Math.Min(span.Length, random.Next(1, 3000));
            received.AddRange(span[..take].ToArray());
            assembler.Consume(take);
        }

        Assert.Equal(source, received.ToArray());
        Assert.True(assembler.IsFinished);
    }

    [Fact]
    public void DuplicateWithDifferentBytes_KeepsTheFirstCopy()
    {
        using var assembler = new ReceiveAssembler(100, TransportErrorCode.FLOW_CONTROL_ERROR);
        Assert.Equal(Ok, assembler.Insert(10, [1, 2, 3, 4], false));
        Assert.Equal(Ok, assembler.Insert(8, [9, 9, 9, 9, 9, 9, 9, 9], false));
        Assert.Equal(Ok, assembler.Insert(0, [0, 0, 0, 0, 0, 0, 0, 0], false));
        byte[] output = ReadAll(assembler);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 9, 9, 1, 2, 3, 4, 9, 9 }, output);
    }

    // RFC 9000 section 4.5: the FINAL_SIZE_ERROR cases.
    [Fact]
    public void DataBeyondKnownFinalSize_IsFinalSizeError()
    {
        using var assembler = new ReceiveAssembler(1000, TransportErrorCode.FLOW_CONTROL_ERROR);
        Assert.Equal(Ok, assembler.Insert(0, new byte[10], fin: true));
        Assert.Equal(TransportErrorCode.FINAL_SIZE_ERROR, assembler.Insert(5, new byte[6], false));
        Assert.Equal(TransportErrorCode.FINAL_SIZE_ERROR, assembler.Insert(11, default, false));
        Assert.Equal(Ok, assembler.Insert(5, new byte[5], false));
        Assert.Equal(Ok, assembler.Insert(10, default, false));
    }

    [Fact]
    public void FinChangingTheFinalSize_IsFinalSizeError()
    {
        using var assembler = new ReceiveAssembler(1000, TransportErrorCode.FLOW_CONTROL_ERROR);
        Assert.Equal(Ok, assembler.Insert(20, new byte[10], fin: true));
        Assert.Equal(TransportErrorCode.FINAL_SIZE_ERROR, assembler.Insert(0, new byte[10], fin: true));
        Assert.Equal(TransportErrorCode.FINAL_SIZE_ERROR, assembler.Insert(0, new byte[40], fin: true));
        Assert.Equal(Ok, assembler.Insert(25, new byte[5], fin: true));
        Assert.Equal(30UL, assembler.FinalSize);
    }

    [Fact]
    public void FinBelowDataAlreadyReceived_IsFinalSizeError_AndChangesNothing()
    {
        using var assembler = new ReceiveAssembler(1000, TransportErrorCode.FLOW_CONTROL_ERROR);
        Assert.Equal(Ok, assembler.Insert(50, new byte[10], false));
        Assert.Equal(TransportErrorCode.FINAL_SIZE_ERROR, assembler.Insert(0, new byte[20], fin: true));
        Assert.False(assembler.IsFinalSizeKnown);
        Assert.Equal(0, assembler.ReadableBytes);
        Assert.Equal(60UL, assembler.HighestOffset);
    }

    [Fact]
    public void ResetFinalSize_MustMatchKnownSizeAndCoverReceivedData()
    {
        using var assembler = new ReceiveAssembler(1000, TransportErrorCode.FLOW_CONTROL_ERROR);
        Assert.Equal(Ok, assembler.Insert(0, new byte[30], false));
        Assert.Equal(TransportErrorCode.FINAL_SIZE_ERROR, assembler.ValidateFinalSize(29));
        Assert.Equal(Ok, assembler.ValidateFinalSize(30));
        Assert.Equal(Ok, assembler.ValidateFinalSize(100));

        Assert.Equal(Ok, assembler.Insert(30, new byte[10], fin: true));
        Assert.Equal(TransportErrorCode.FINAL_SIZE_ERROR, assembler.SetFinalSize(41));
        Assert.Equal(TransportErrorCode.FINAL_SIZE_ERROR, assembler.SetFinalSize(39));
        Assert.Equal(Ok, assembler.SetFinalSize(40));
    }

    [Fact]
    public void EndPast2To62Minus1_IsFrameEncodingError()
    {
        using var assembler = new ReceiveAssembler(1000, TransportErrorCode.FLOW_CONTROL_ERROR);
        Assert.Equal(TransportErrorCode.FRAME_ENCODING_ERROR, assembler.Insert(VarInt.MaxValue - 1, new byte[2], false));
        Assert.Equal(TransportErrorCode.FRAME_ENCODING_ERROR, assembler.ValidateFinalSize(VarInt.MaxValue + 1));
    }

    [Fact]
    public void EmptyFinOnlyFrame_AtZero_FinishesAnEmptyStream()
    {
        using var assembler = new ReceiveAssembler(1000, TransportErrorCode.FLOW_CONTROL_ERROR);
        Assert.Equal(Ok, assembler.Insert(0, default, fin: true));
        Assert.True(assembler.IsFinalSizeKnown);
        Assert.Equal(0UL, assembler.FinalSize);
        Assert.True(assembler.IsAllReceived);
        Assert.True(assembler.IsFinished);
        Assert.Equal(0, assembler.Read(new byte[10]));
    }

    [Fact]
    public void EmptyFinOnlyFrame_AfterData_SetsFinalSizeWithoutData()
    {
        using var assembler = new ReceiveAssembler(1000, TransportErrorCode.FLOW_CONTROL_ERROR);
        Assert.Equal(Ok, assembler.Insert(100, default, fin: true));
        Assert.Equal(100UL, assembler.FinalSize);
        Assert.False(assembler.IsAllReceived);
        Assert.Equal(Ok, assembler.Insert(0, new byte[100], false));
        Assert.True(assembler.IsAllReceived);
    }

    [Fact]
    public void DataPastTheHardLimit_ReturnsTheOverflowError_UntilTheApplicationReads()
    {
        using var assembler = new ReceiveAssembler(4096, TransportErrorCode.CRYPTO_BUFFER_EXCEEDED);
        Assert.Equal(Ok, assembler.Insert(4000, new byte[96], false)); // out of order, up to exactly 4096
        Assert.Equal(TransportErrorCode.CRYPTO_BUFFER_EXCEEDED, assembler.Insert(4096, new byte[1], false));
        Assert.Equal(Ok, assembler.Insert(0, new byte[4000], false));
        Assert.Equal(1000, assembler.Read(new byte[1000]));
        Assert.Equal(Ok, assembler.Insert(4096, new byte[1000], false));
        Assert.Equal(TransportErrorCode.CRYPTO_BUFFER_EXCEEDED, assembler.Insert(5096, new byte[1], false));
    }

    [Fact]
    public void TooManyOutOfOrderRanges_ReturnsTheOverflowError()
    {
        using var assembler = new ReceiveAssembler(1 << 20, TransportErrorCode.CRYPTO_BUFFER_EXCEEDED);
        int max = assembler.MaxOutOfOrderRanges;
        for (int i = 0; i < max; i++) Assert.Equal(Ok, assembler.Insert((ulong)(2 * i + 1), new byte[1], false));
        Assert.Equal(TransportErrorCode.CRYPTO_BUFFER_EXCEEDED, assembler.Insert((ulong)(2 * max + 1), new byte[1], false));

        // Filling a gap merges ranges and is always accepted.
        Assert.Equal(Ok, assembler.Insert(2, new byte[1], false));
        Assert.Equal(Ok, assembler.Insert(0, new byte[1], false));
        Assert.Equal(4, assembler.ReadableBytes);
    }

    [Fact]
    public void Discard_DropsDataButKeepsCheckingAndCounting()
    {
        using var assembler = new ReceiveAssembler(100, TransportErrorCode.FLOW_CONTROL_ERROR);
        Assert.Equal(Ok, assembler.Insert(0, new byte[50], false));
        assembler.Discard();
        Assert.Equal(0, assembler.ReadableBytes);
        Assert.Equal(50UL, assembler.ReadOffset);
        Assert.Equal(Ok, assembler.Insert(50, new byte[500], fin: true)); // no byte limit once discarding
        Assert.Equal(550UL, assembler.HighestOffset);
        Assert.True(assembler.IsFinished);
        Assert.Equal(TransportErrorCode.FINAL_SIZE_ERROR, assembler.Insert(540, new byte[20], false));
    }

    private static void Shuffle<T>(List<T> list, Random random)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
