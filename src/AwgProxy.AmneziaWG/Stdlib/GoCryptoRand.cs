// Mirrors rand.Int from Go's src/crypto/rand/util.go (Go 1.24; the algorithm is the same in Go
// 1.19) as amneziawg-go e796d477d89e6851b2bb4871bf75f1e621f94ace calls it: rand.Int(rand.Reader,
// big.NewInt(x)) for junk sizes (device/send.go) and header values (device/magic-header.go).
// The reader is the injected IRandomSource; max is an int64 because upstream always passes one.
namespace AwgProxy.AmneziaWG.Stdlib;

internal static class GoCryptoRand
{
    /// <summary>
    /// rand.Int: a uniform value in [0, max) by rejection sampling. Let L be the bit length of
    /// max-1. L = 0 (max = 1) returns 0 without reading. Otherwise it reads k = ceil(L/8) bytes,
    /// keeps only the low L mod 8 bits of the first (all 8 when L mod 8 = 0), reads them big-endian,
    /// and returns the value if it is below max; else it reads k fresh bytes and tries again.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="max"/> &lt;= 0, where Go panics with "crypto/rand: argument to Int is &lt;= 0".
    /// Callers in this port validate first, so this is a programming error.
    /// </exception>
    public static long Int(IRandomSource random, long max)
    {
        if (max <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, "crypto/rand: argument to Int is <= 0");
        }

        var maxMinusOne = (ulong)(max - 1);
        var bitLen = 64 - System.Numerics.BitOperations.LeadingZeroCount(maxMinusOne);
        if (bitLen == 0)
        {
            return 0;
        }

        var k = (bitLen + 7) / 8;
        var b = bitLen % 8;
        if (b == 0)
        {
            b = 8;
        }

        Span<byte> bytes = stackalloc byte[8];
        bytes = bytes[..k];
        while (true)
        {
            random.Read(bytes);
            bytes[0] &= (byte)((1 << b) - 1);
            ulong n = 0;
            foreach (var x in bytes)
            {
                n = (n << 8) | x;
            }

            if (n < (ulong)max)
            {
                return (long)n;
            }
        }
    }
}
