using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AwgProxy.Quic.Crypto;

/// <summary>
/// RFC 9001 section 5.4: the header protection key ("quic hp") of one direction at one encryption level,
/// turning a 16-byte ciphertext sample into the 5-byte mask. It is not changed by key updates.
/// <list type="bullet">
/// <item>AES suites (section 5.4.3): mask = AES-ECB(hp_key, sample)[0..5], with AES-NI or ARMv8 AES round
/// instructions when present (the key schedule is expanded once) and otherwise one reused ECB transform.</item>
/// <item>ChaCha20-Poly1305 (section 5.4.4): counter = sample[0..4] little-endian, nonce = sample[4..16],
/// mask = the first 5 bytes of the ChaCha20 block, i.e. ChaCha20 applied to five zero bytes.</item>
/// </list>
/// Allocation-free per packet. Not thread-safe.
/// </summary>
public sealed class HeaderProtectionKey : IDisposable
{
    /// <summary>Bytes of ciphertext sampled, for every suite.</summary>
    public const int SampleLength = 16;

    /// <summary>Bytes of mask: one for the first byte, up to four for the packet number.</summary>
    public const int MaskLength = 5;

    private readonly AesBlockCipher? _aes;
    private readonly byte[]? _chaChaKey;
    private bool _disposed;

    /// <summary>Derives the "quic hp" key of <paramref name="suite"/> from a traffic <paramref name="secret"/>.</summary>
    public HeaderProtectionKey(CipherSuite suite, ReadOnlySpan<byte> secret)
        : this(suite, secret, AesBlockCipher.BestImplementation)
    {
    }

    /// <summary>Test hook: the same, with the AES implementation chosen by the caller.</summary>
    internal HeaderProtectionKey(CipherSuite suite, ReadOnlySpan<byte> secret, AesImplementation aesImplementation)
    {
        PacketProtectionKeyDerivation.ValidateSecret(suite, secret);
        Suite = suite;
        Span<byte> key = stackalloc byte[suite.HeaderProtectionKeyLength()];
        try
        {
            PacketProtectionKeyDerivation.DeriveHeaderProtectionKey(suite, secret, key);
            if (suite == CipherSuite.TLS_CHACHA20_POLY1305_SHA256)
                _chaChaKey = key.ToArray();
            else
                _aes = AesBlockCipher.Create(key, aesImplementation);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The cipher suite whose header protection algorithm this key uses.</summary>
    public CipherSuite Suite { get; }

    /// <summary>How AES masks are computed (null for ChaCha20).</summary>
    internal AesImplementation? AesImplementation => _aes?.Implementation;

    /// <summary>Writes the 5-byte mask for a 16-byte <paramref name="sample"/> into the start of <paramref name="mask"/>.</summary>
    public void ComputeMask(ReadOnlySpan<byte> sample, Span<byte> mask)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (sample.Length != SampleLength)
            throw new ArgumentException($"The header protection sample is {SampleLength} bytes.", nameof(sample));
        if (mask.Length < MaskLength)
            throw new ArgumentException($"The mask needs {MaskLength} bytes.", nameof(mask));

        if (_aes is not null)
        {
            Span<byte> block = stackalloc byte[AesBlockCipher.BlockLength];
            _aes.EncryptBlock(sample, block);
            block[..MaskLength].CopyTo(mask);
        }
        else
        {
            uint counter = BinaryPrimitives.ReadUInt32LittleEndian(sample);
            ChaCha20.Block(_chaChaKey, counter, sample[4..], mask[..MaskLength]);
        }
    }

    /// <summary>Clears the key material.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _aes?.Dispose();
        if (_chaChaKey is not null)
            CryptographicOperations.ZeroMemory(_chaChaKey);
    }
}
