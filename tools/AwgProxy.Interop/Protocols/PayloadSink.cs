using System.Security.Cryptography;

namespace AwgProxy.Interop.Protocols;

/// <summary>
/// Where a client stream's payload goes: counted, appended to a SHA-256 (unless <c>-hash=false</c>) and, with
/// <c>-verify</c>, checked against <see cref="InteropPattern"/> at its stream offset. One per stream; not thread-safe.
/// </summary>
public sealed class PayloadSink
{
    private readonly IncrementalHash? _hash;
    private readonly bool _verify;

    /// <param name="hash">Where the payload is hashed; null: only counted.</param>
    /// <param name="verify">Whether each byte is checked against the pattern.</param>
    public PayloadSink(IncrementalHash? hash, bool verify)
    {
        _hash = hash;
        _verify = verify;
    }

    /// <summary>Payload octets seen so far (also the stream offset of the next one).</summary>
    public long Count { get; private set; }

    /// <summary>Adds <paramref name="data"/>; throws <see cref="InteropTransferException"/> on a pattern mismatch.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (_verify)
        {
            long bad = InteropPattern.FindMismatch(data, Count);
            if (bad >= 0)
            {
                throw new InteropTransferException($"corrupt byte at offset {bad}");
            }
        }

        _hash?.AppendData(data);
        Count += data.Length;
    }
}
