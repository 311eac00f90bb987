using System.Security.Cryptography;

namespace AwgProxy.Quic.Transport.Tests.Support;

/// <summary>Deterministic payloads and stream helpers.</summary>
internal static class Payload
{
    public static byte[] Create(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Writes <paramref name="data"/> in chunks of <paramref name="chunk"/> bytes, then the FIN.</summary>
    public static async Task WriteAllAsync(Stream stream, ReadOnlyMemory<byte> data, int chunk = 64 * 1024, bool complete = true)
    {
        for (int offset = 0; offset < data.Length; offset += chunk)
        {
            await stream.WriteAsync(data.Slice(offset, Math.Min(chunk, data.Length - offset)));
        }

        if (complete && stream is QuicStream quic) quic.CompleteWrites();
    }

    /// <summary>Reads to the end and returns the SHA-256 and length of what was read.</summary>
    public static async Task<(byte[] Hash, long Length)> ReadToEndHashAsync(Stream stream)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long total = 0;
        while (true)
        {
            int read = await stream.ReadAsync(buffer);
            if (read == 0) break;
            hash.AppendData(buffer, 0, read);
            total += read;
        }

        return (hash.GetHashAndReset(), total);
    }

    public static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        var output = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int read = await stream.ReadAsync(buffer);
            if (read == 0) return output.ToArray();
            output.Write(buffer, 0, read);
        }
    }

    /// <summary>Echoes everything read back, then completes writes.</summary>
    public static async Task EchoAsync(QuicStream stream)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int read = await stream.ReadAsync(buffer);
            if (read == 0) break;
            await stream.WriteAsync(buffer.AsMemory(0, read));
        }

        stream.CompleteWrites();
    }
}
