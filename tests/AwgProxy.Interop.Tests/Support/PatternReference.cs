using System.Security.Cryptography;

namespace AwgProxy.Interop.Tests.Support;

/// <summary>An independent computation of the interop-test payload and its digests (not using InteropPattern).</summary>
internal static class PatternReference
{
    public static byte[] Bytes(long length)
    {
        byte[] bytes = new byte[length];
        for (long i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i % 65536) % 251);
        }

        return bytes;
    }

    public static string Sha256Hex(long length) => Convert.ToHexStringLower(SHA256.HashData(Bytes(length)));

    /// <summary>
    /// The RESULT digest as documented: plain SHA-256 of the payload (repeated per connection) for one stream,
    /// SHA-256 over the per-stream digests (connection order, then stream order) for several.
    /// </summary>
    public static string ExpectedResultDigest(long bytesPerConnection, int streams, int connections)
    {
        using var total = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (int c = 0; c < connections; c++)
        {
            if (streams == 1)
            {
                total.AppendData(Bytes(bytesPerConnection));
                continue;
            }

            for (int i = 0; i < streams; i++)
            {
                long share = bytesPerConnection / streams + (i < bytesPerConnection % streams ? 1 : 0);
                total.AppendData(SHA256.HashData(Bytes(share)));
            }
        }

        return Convert.ToHexStringLower(total.GetHashAndReset());
    }
}
