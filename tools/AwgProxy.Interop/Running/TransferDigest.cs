using System.Security.Cryptography;

namespace AwgProxy.Interop.Running;

/// <summary>
/// The <c>sha256=</c> of the RESULT line. With one stream per connection it is the plain SHA-256 of all
/// payload bytes in connection order (for one connection: the SHA-256 of the payload). With k &gt; 1 parallel
/// streams the streams' bytes cannot be hashed in one pass without buffering, so each stream is hashed on
/// its own and the result is SHA-256 over the concatenated 32-byte stream digests, in connection order,
/// then stream order (stream i of a connection carries the i-th share of -bytes).
/// </summary>
public sealed class TransferDigest : IDisposable
{
    private readonly IncrementalHash _total = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash[] _perStream;
    private readonly bool _singleStream;

    public TransferDigest(int streamsPerConnection)
    {
        _singleStream = streamsPerConnection == 1;
        _perStream = new IncrementalHash[_singleStream ? 0 : streamsPerConnection];
        for (int i = 0; i < _perStream.Length; i++)
        {
            _perStream[i] = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        }
    }

    /// <summary>The hash stream <paramref name="index"/> of the current connection appends its payload to.</summary>
    public IncrementalHash ForStream(int index) => _singleStream ? _total : _perStream[index];

    /// <summary>Folds the current connection's stream digests into the total (no-op with one stream).</summary>
    public void CompleteConnection()
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        foreach (IncrementalHash stream in _perStream)
        {
            stream.GetHashAndReset(digest);
            _total.AppendData(digest);
        }
    }

    /// <summary>The final digest.</summary>
    public byte[] Finish() => _total.GetHashAndReset();

    public void Dispose()
    {
        _total.Dispose();
        foreach (IncrementalHash stream in _perStream)
        {
            stream.Dispose();
        }
    }
}
