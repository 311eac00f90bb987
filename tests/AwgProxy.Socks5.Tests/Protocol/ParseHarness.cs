using AwgProxy.Socks5.Protocol;

namespace AwgProxy.Socks5.Tests.Protocol;

/// <summary>Parses a message and describes what was parsed, so that two parses can be compared.</summary>
internal delegate Socks5ParseResult DescribingParser(ReadOnlySpan<byte> source, out string description);

/// <summary>
/// Checks that a parser sees a message the same way however TCP delivers it: whole, byte by byte, or split at
/// any point, with or without bytes after it, and through the server's own handshake buffer.
/// </summary>
internal static class ParseHarness
{
    public static string AssertEveryDeliveryParsesTheSame(byte[] message, DescribingParser parse)
    {
        Socks5ParseResult whole = parse(message, out string expected);
        Assert.Equal(Socks5ParseResult.Complete(message.Length), whole);

        // Every truncated prefix is a valid beginning that needs more bytes.
        for (int length = 0; length < message.Length; length++)
        {
            Socks5ParseResult prefix = parse(message.AsSpan(0, length), out _);
            Assert.True(prefix == Socks5ParseResult.NeedMoreData, $"Prefix of {length} bytes gave {prefix}.");
        }

        // Bytes after the message are not consumed and do not change it.
        byte[] withTrailer = [.. message, 0x05, 0x01, 0xFF];
        Assert.Equal(whole, parse(withTrailer, out string trailed));
        Assert.Equal(expected, trailed);

        // Byte by byte, and split at every point, through the server's handshake buffer.
        AssertDeliveredInChunks(message, parse, expected, Enumerable.Repeat(1, message.Length).ToArray(), fillerBefore: 0);
        for (int split = 0; split <= message.Length; split++)
        {
            AssertDeliveredInChunks(message, parse, expected, [split, message.Length - split], fillerBefore: 0);

            // Again with earlier bytes consumed, so the buffer has to move the tail to its front.
            AssertDeliveredInChunks(message, parse, expected, [split, message.Length - split], fillerBefore: Socks5InputBuffer.DefaultCapacity - split - 1);
        }

        return expected;
    }

    private static void AssertDeliveredInChunks(byte[] message, DescribingParser parse, string expected, int[] chunkLengths, int fillerBefore)
    {
        using var buffer = new Socks5InputBuffer();
        if (fillerBefore > 0)
        {
            Feed(buffer, new byte[fillerBefore]);
        }

        int offset = 0;
        bool fillerConsumed = fillerBefore == 0;
        foreach (int chunkLength in chunkLengths)
        {
            Feed(buffer, message.AsSpan(offset, chunkLength));
            offset += chunkLength;
            if (!fillerConsumed)
            {
                buffer.Consume(fillerBefore);
                fillerConsumed = true;
            }

            Socks5ParseResult result = parse(buffer.Data, out string description);
            if (offset < message.Length)
            {
                Assert.True(result == Socks5ParseResult.NeedMoreData, $"After {offset} of {message.Length} bytes: {result}.");
            }
            else
            {
                Assert.Equal(Socks5ParseResult.Complete(message.Length), result);
                Assert.Equal(expected, description);
            }
        }
    }

    /// <summary>Copies <paramref name="bytes"/> into the buffer the way the session's receive loop does.</summary>
    public static void Feed(Socks5InputBuffer buffer, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            Memory<byte> free = buffer.GetFreeMemory();
            Assert.False(free.IsEmpty, "The handshake buffer ran out of room.");
            int count = Math.Min(free.Length, bytes.Length);
            bytes[..count].CopyTo(free.Span);
            buffer.Advance(count);
            bytes = bytes[count..];
        }
    }

    /// <summary>
    /// Seeded, bounded mutation fuzzing: random corruptions of valid messages and random noise never make the
    /// parser throw, and every result is well formed.
    /// </summary>
    public static void AssertSurvivesMutations(byte[][] seeds, DescribingParser parse, int seed, int iterations = 20_000)
    {
        var random = new Random(seed);
        for (int i = 0; i < iterations; i++)
        {
            byte[] input = Mutate(seeds[random.Next(seeds.Length)], random);
            Socks5ParseResult result = parse(input, out _);
            switch (result.Status)
            {
                case Socks5ParseStatus.Complete:
                    Assert.InRange(result.BytesConsumed, 1, input.Length);
                    break;
                case Socks5ParseStatus.NeedMoreData:
                    Assert.Equal(0, result.BytesConsumed);
                    break;
                case Socks5ParseStatus.Invalid:
                    Assert.Equal(0, result.BytesConsumed);
                    Assert.False(string.IsNullOrEmpty(result.Reason));
                    break;
                default:
                    Assert.Fail($"Unknown status {result.Status}.");
                    break;
            }
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        List<byte> bytes = [.. original];
        int operations = random.Next(1, 4);
        for (int i = 0; i < operations; i++)
        {
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 1 when bytes.Count > 0:
                    int keep = random.Next(bytes.Count);
                    bytes.RemoveRange(keep, bytes.Count - keep);
                    break;
                case 2:
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveAt(random.Next(bytes.Count));
                    break;
                case 4:
                    byte[] tail = new byte[random.Next(0, 300)];
                    random.NextBytes(tail);
                    bytes.AddRange(tail);
                    break;
                default:
                    byte[] noise = new byte[random.Next(0, 600)];
                    random.NextBytes(noise);
                    return noise;
            }
        }

        return [.. bytes];
    }
}
