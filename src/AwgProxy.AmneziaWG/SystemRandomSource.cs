using System.Security.Cryptography;

namespace AwgProxy.AmneziaWG;

/// <summary>
/// The production <see cref="IRandomSource"/>: the operating system's CSPRNG (<see cref="RandomNumberGenerator"/>).
/// </summary>
/// <remarks>
/// The envelope draws a few bytes per datagram (a header value, padding), and each call into the platform CSPRNG
/// costs about as much as a small AEAD seal whatever its length (OpenSSL's RAND_bytes behind it). Small reads are
/// therefore served from a per-thread block of <see cref="BlockSize"/> random bytes, refilled by one call when used up;
/// every byte is handed out once, in order, then cleared. Reads of <see cref="DirectReadThreshold"/> bytes or more
/// (junk packets) go to the CSPRNG directly. Thread-safe without locks: each thread has its own block.
/// </remarks>
public sealed class SystemRandomSource : IRandomSource
{
    /// <summary>Random bytes fetched at once for small reads.</summary>
    public const int BlockSize = 4096;

    /// <summary>Reads at least this long skip the block.</summary>
    public const int DirectReadThreshold = 256;

    [ThreadStatic]
    private static byte[]? t_block;

    [ThreadStatic]
    private static int t_used;

    private SystemRandomSource()
    {
    }

    /// <summary>The one instance; it is thread-safe.</summary>
    public static SystemRandomSource Instance { get; } = new();

    /// <inheritdoc/>
    public void Read(Span<byte> buffer)
    {
        if (buffer.Length >= DirectReadThreshold)
        {
            RandomNumberGenerator.Fill(buffer);
            return;
        }

        byte[]? block = t_block;
        if (block is null)
        {
            block = t_block = GC.AllocateUninitializedArray<byte>(BlockSize);
            t_used = BlockSize;
        }

        while (!buffer.IsEmpty)
        {
            if (t_used == BlockSize)
            {
                RandomNumberGenerator.Fill(block);
                t_used = 0;
            }

            int take = Math.Min(buffer.Length, BlockSize - t_used);
            Span<byte> source = block.AsSpan(t_used, take);
            source.CopyTo(buffer);
            source.Clear();
            t_used += take;
            buffer = buffer[take..];
        }
    }
}
