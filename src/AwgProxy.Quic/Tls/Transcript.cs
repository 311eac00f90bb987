using System.Security.Cryptography;

namespace AwgProxy.Quic.Tls;

/// <summary>
/// RFC 8446 section 4.4.1, The Transcript Hash: the running hash of every handshake message (header
/// included) in the order sent and received. The hash function is the negotiated suite's, which the
/// client learns only from the ServerHello or HelloRetryRequest, so messages are kept until then.
/// </summary>
internal sealed class Transcript : IDisposable
{
    private readonly List<byte[]> _pending = [];
    private IncrementalHash? _hash;
    private HashAlgorithmName _algorithm;

    public bool HasHashAlgorithm => _hash is not null;

    public int HashLength { get; private set; }

    public void Add(ReadOnlySpan<byte> message)
    {
        if (_hash is null) _pending.Add(message.ToArray());
        else _hash.AppendData(message);
    }

    /// <summary>Fixes the hash function and hashes what was kept so far.</summary>
    public void SetHashAlgorithm(HashAlgorithmName algorithm)
    {
        if (_hash is not null) throw new InvalidOperationException("Transcript hash already chosen.");
        _algorithm = algorithm;
        _hash = IncrementalHash.CreateHash(algorithm);
        HashLength = _hash.HashLengthInBytes;
        foreach (byte[] message in _pending) _hash.AppendData(message);
        _pending.Clear();
    }

    /// <summary>Transcript-Hash of the messages so far.</summary>
    public byte[] GetCurrentHash()
    {
        if (_hash is null) throw new InvalidOperationException("Transcript hash not chosen yet.");
        return _hash.GetCurrentHash();
    }

    /// <summary>
    /// After a HelloRetryRequest, replaces ClientHello1 by the synthetic message (RFC 8446 section 4.4.1):
    /// <code>
    /// Transcript-Hash(ClientHello1, HelloRetryRequest, ... Mn) =
    ///     Hash(message_hash ||        /* Handshake type */
    ///          00 00 Hash.length  ||  /* Handshake message length (bytes) */
    ///          Hash(ClientHello1) ||  /* Hash of ClientHello1 */
    ///          HelloRetryRequest  || ... || Mn)
    /// </code>
    /// Call it when the transcript holds exactly ClientHello1.
    /// </summary>
    public void ReplaceWithMessageHash()
    {
        byte[] clientHello1Hash = GetCurrentHash();
        _hash!.Dispose();
        _hash = IncrementalHash.CreateHash(_algorithm);
        _hash.AppendData([(byte)HandshakeType.MessageHash, 0, 0, (byte)clientHello1Hash.Length]);
        _hash.AppendData(clientHello1Hash);
    }

    public void Dispose()
    {
        _hash?.Dispose();
        _pending.Clear();
    }
}
