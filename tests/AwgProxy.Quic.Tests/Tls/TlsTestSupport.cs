using AwgProxy.Quic.Tls;

namespace AwgProxy.Quic.Tests.Tls;

/// <summary>Small helpers shared by the TLS tests.</summary>
internal static class TlsTestSupport
{
    /// <summary>Hex with optional whitespace, as printed in RFCs.</summary>
    public static byte[] Hex(string text) => Convert.FromHexString(string.Concat(text.Where(c => !char.IsWhiteSpace(c))));

    /// <summary>A deterministic randomness source for sessions.</summary>
    public static RandomFill SeededRandom(int seed)
    {
        var random = new Random(seed);
        return destination => random.NextBytes(destination);
    }

    /// <summary>
    /// The codec contract: the full input parses, and every strictly shorter prefix is rejected cleanly
    /// (false, no exception).
    /// </summary>
    public static void AssertEveryTruncationFails(byte[] encoded, Func<byte[], bool> tryParse)
    {
        Assert.True(tryParse(encoded), "the complete encoding must parse");
        for (int length = 0; length < encoded.Length; length++)
        {
            byte[] prefix = encoded[..length];
            Assert.False(tryParse(prefix), $"a {length}-byte prefix of {encoded.Length} bytes parsed");
        }
    }

    /// <summary>
    /// Seeded, bounded mutation fuzzing: flips, overwrites, inserts and deletes bytes of
    /// <paramref name="encoded"/> and requires <paramref name="tryParse"/> to return (either way) without
    /// throwing. Returns how many mutants parsed, so callers can check the fuzzer reached both outcomes.
    /// </summary>
    public static int FuzzNeverThrows(byte[] encoded, Func<byte[], bool> tryParse, int seed, int iterations = 2000)
    {
        var random = new Random(seed);
        int accepted = 0;
        for (int i = 0; i < iterations; i++)
        {
            byte[] mutant = Mutate(encoded, random);
            if (tryParse(mutant)) accepted++;
        }

        return accepted;
    }

    public static byte[] Mutate(byte[] input, Random random)
    {
        var bytes = new List<byte>(input);
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits; e++)
        {
            int op = random.Next(4);
            if (bytes.Count == 0) op = 2;
            int index = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (op)
            {
                case 0:
                    bytes[index] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[index] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
                default:
                    bytes.RemoveAt(index);
                    break;
            }
        }

        return [.. bytes];
    }
}
