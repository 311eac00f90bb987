using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AwgProxy.Quic.Crypto;

/// <summary>
/// The AEAD half of packet protection for one direction at one key phase (RFC 9001 section 5.3).
/// Holds the "quic key" and "quic iv" derived from a traffic secret and one preallocated
/// <see cref="AesGcm"/> or <see cref="ChaCha20Poly1305"/>, so protecting a packet allocates nothing.
/// <para>
/// Nonce: the 62-bit packet number, big-endian and left-padded with zeros to 12 bytes, XORed with the IV.
/// Associated data: the header from its first byte up to and including the unprotected packet number.
/// Plaintext: the packet payload. Every suite adds a 16-byte tag.
/// </para>
/// <para>
/// Counts packets for the AEAD limits of RFC 9001 section 6.6: <see cref="EncryptedPackets"/> against
/// <see cref="ConfidentialityLimit"/> (encryption past it throws) and <see cref="FailedDecryptions"/>, which the
/// connection adds up across all keys and compares with <see cref="IntegrityLimit"/>.
/// </para>
/// Not thread-safe: one connection uses it from one thread at a time.
/// </summary>
public sealed class PacketKey : IDisposable
{
    /// <summary>Length of the authentication tag of every QUIC cipher suite.</summary>
    public const int TagLength = 16;

    private const int NonceLength = 12;

    private readonly byte[] _secret;
    private readonly uint _ivHigh;
    private readonly ulong _ivLow;
    private readonly AesGcm? _aesGcm;
    private readonly ChaCha20Poly1305? _chaCha;
    private long _encryptedPackets;
    private long _failedDecryptions;
    private bool _disposed;

    /// <summary>Derives the key and IV of <paramref name="suite"/> from a traffic <paramref name="secret"/> of the suite's hash length.</summary>
    /// <exception cref="PlatformNotSupportedException">The platform lacks the suite's AEAD (ChaCha20-Poly1305 on some systems).</exception>
    public PacketKey(CipherSuite suite, ReadOnlySpan<byte> secret)
        : this(suite, secret, AeadLimits.ConfidentialityLimit(suite))
    {
    }

    /// <summary>Test hook: same as the public constructor with a lower confidentiality limit.</summary>
    internal PacketKey(CipherSuite suite, ReadOnlySpan<byte> secret, long confidentialityLimit)
    {
        PacketProtectionKeyDerivation.ValidateSecret(suite, secret);
        if (!suite.IsSupported())
            throw new PlatformNotSupportedException($"{suite} is not supported on this platform.");

        Suite = suite;
        ConfidentialityLimit = confidentialityLimit;
        _secret = secret.ToArray();

        Span<byte> iv = stackalloc byte[NonceLength];
        Span<byte> key = stackalloc byte[suite.KeyLength()];
        try
        {
            PacketProtectionKeyDerivation.DeriveIv(suite, secret, iv);
            _ivHigh = BinaryPrimitives.ReadUInt32BigEndian(iv);
            _ivLow = BinaryPrimitives.ReadUInt64BigEndian(iv[4..]);

            PacketProtectionKeyDerivation.DeriveKey(suite, secret, key);
            if (suite == CipherSuite.TLS_CHACHA20_POLY1305_SHA256)
                _chaCha = new ChaCha20Poly1305(key);
            else
                _aesGcm = new AesGcm(key, TagLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(iv);
        }
    }

    /// <summary>The negotiated cipher suite this key belongs to.</summary>
    public CipherSuite Suite { get; }

    /// <summary>Packets encrypted with this key so far.</summary>
    public long EncryptedPackets => _encryptedPackets;

    /// <summary>Packets that failed authentication under this key so far.</summary>
    public long FailedDecryptions => _failedDecryptions;

    /// <summary>RFC 9001 section 6.6: how many packets this key may encrypt (see <see cref="AeadLimits"/>).</summary>
    public long ConfidentialityLimit { get; }

    /// <summary>RFC 9001 section 6.6: how many packets may fail authentication in a connection using this suite.</summary>
    public long IntegrityLimit => AeadLimits.IntegrityLimit(Suite);

    /// <summary>True once the key has encrypted <see cref="ConfidentialityLimit"/> packets: update keys or close.</summary>
    public bool IsConfidentialityLimitReached => _encryptedPackets >= ConfidentialityLimit;

    /// <summary>
    /// Encrypts <paramref name="payloadInPlace"/> in place and writes the 16-byte tag to <paramref name="tag"/>.
    /// <paramref name="associatedData"/> is the unprotected header up to and including the packet number; it
    /// must not overlap the payload or the tag.
    /// </summary>
    /// <exception cref="InvalidOperationException">The key reached its confidentiality limit (RFC 9001 section 6.6).</exception>
    public void Encrypt(ulong packetNumber, ReadOnlySpan<byte> associatedData, Span<byte> payloadInPlace, Span<byte> tag)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(packetNumber, Coding.VarInt.MaxValue);
        if (tag.Length != TagLength)
            throw new ArgumentException($"The tag is {TagLength} bytes.", nameof(tag));
        if (_encryptedPackets >= ConfidentialityLimit)
            throw new InvalidOperationException("The AEAD confidentiality limit of this key is reached; update keys before sending.");

        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(packetNumber, nonce);
        if (_aesGcm is not null)
            _aesGcm.Encrypt(nonce, payloadInPlace, payloadInPlace, tag, associatedData);
        else
            _chaCha!.Encrypt(nonce, payloadInPlace, payloadInPlace, tag, associatedData);
        _encryptedPackets++;
    }

    /// <summary>
    /// Decrypts <paramref name="ciphertextInPlace"/> in place and checks <paramref name="tag"/>.
    /// Returns false, and counts a failed decryption, when authentication fails; the contents of
    /// <paramref name="ciphertextInPlace"/> are then unspecified (the platform clears them) and the packet must be dropped.
    /// Each failure costs a caught <see cref="AuthenticationTagMismatchException"/> inside the platform API
    /// (a few microseconds and a small allocation); successful decryption allocates nothing.
    /// </summary>
    public bool TryDecrypt(ulong packetNumber, ReadOnlySpan<byte> associatedData, Span<byte> ciphertextInPlace, ReadOnlySpan<byte> tag)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (tag.Length != TagLength)
            throw new ArgumentException($"The tag is {TagLength} bytes.", nameof(tag));
        if (packetNumber > Coding.VarInt.MaxValue)
            return false;

        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(packetNumber, nonce);
        try
        {
            if (_aesGcm is not null)
                _aesGcm.Decrypt(nonce, ciphertextInPlace, tag, ciphertextInPlace, associatedData);
            else
                _chaCha!.Decrypt(nonce, ciphertextInPlace, tag, ciphertextInPlace, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            _failedDecryptions++;
            return false;
        }
    }

    /// <summary>
    /// RFC 9001 section 6: the key of the next key phase, from secret_&lt;n+1&gt; = HKDF-Expand-Label(secret_&lt;n&gt;, "quic ku", "", Hash.length).
    /// Same suite; the header protection key does not change. The caller owns (and disposes) the new key.
    /// </summary>
    public PacketKey NextPhase()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> next = stackalloc byte[Suite.HashLength()];
        try
        {
            PacketProtectionKeyDerivation.DeriveNextSecret(Suite, _secret, next);
            return new PacketKey(Suite, next);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(next);
        }
    }

    /// <summary>Clears the secret and releases the AEAD instance.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        CryptographicOperations.ZeroMemory(_secret);
        _aesGcm?.Dispose();
        _chaCha?.Dispose();
    }

    /// <summary>RFC 9001 section 5.3: IV XOR the packet number left-padded to 12 bytes.</summary>
    private void WriteNonce(ulong packetNumber, Span<byte> nonce)
    {
        BinaryPrimitives.WriteUInt32BigEndian(nonce, _ivHigh);
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], _ivLow ^ packetNumber);
    }
}
