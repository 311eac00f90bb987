using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SodiumAead = NSec.Cryptography.AeadAlgorithm;
using SodiumKey = NSec.Cryptography.Key;

namespace AwgProxy.Quic.Crypto;

/// <summary>
/// The AEAD half of packet protection for one direction at one key phase (RFC 9001 section 5.3).
/// Holds the "quic key" and "quic iv" derived from a traffic secret and one preallocated AEAD instance (the
/// <see cref="AeadBackend"/> <see cref="AeadBackends.Default"/> picks: libsodium's AES-256-GCM or ChaCha20-Poly1305
/// through NSec, or the platform's <see cref="AesGcm"/>), so protecting a packet allocates nothing.
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
    private readonly SodiumAead? _sodium;
    private readonly SodiumKey? _sodiumKey;
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
        : this(suite, secret, confidentialityLimit, AeadBackends.Default(suite))
    {
    }

    /// <summary>Test and benchmark hook: the same with a chosen AEAD <paramref name="backend"/>.</summary>
    internal PacketKey(CipherSuite suite, ReadOnlySpan<byte> secret, long confidentialityLimit, AeadBackend backend)
    {
        PacketProtectionKeyDerivation.ValidateSecret(suite, secret);
        if (!AeadBackends.Implements(backend, suite))
            throw new ArgumentException($"{backend} does not implement {suite}.", nameof(backend));
        if (!AeadBackends.IsAvailable(backend))
            throw new PlatformNotSupportedException($"{suite} ({backend}) is not supported on this platform.");

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
            switch (backend)
            {
                case AeadBackend.PlatformAesGcm:
                    _aesGcm = new AesGcm(key, TagLength);
                    break;
                case AeadBackend.PlatformChaCha20Poly1305:
                    _chaCha = new ChaCha20Poly1305(key);
                    break;
                default:
                    SodiumAead sodium = backend == AeadBackend.SodiumAes256Gcm ? SodiumAead.Aes256Gcm : SodiumAead.ChaCha20Poly1305;
                    if (TryImportSodiumKey(sodium, key, out SodiumKey? sodiumKey))
                    {
                        _sodium = sodium;
                        _sodiumKey = sodiumKey;
                    }
                    else if (backend == AeadBackend.SodiumAes256Gcm)
                    {
                        // libsodium keeps every key in guarded pages of their own (a few memory mappings each); when
                        // the process runs out of mappings, the platform AEAD carries the connection instead.
                        _aesGcm = new AesGcm(key, TagLength);
                        backend = AeadBackend.PlatformAesGcm;
                    }
                    else if (ChaCha20Poly1305.IsSupported)
                    {
                        _chaCha = new ChaCha20Poly1305(key);
                        backend = AeadBackend.PlatformChaCha20Poly1305;
                    }
                    else
                    {
                        throw new CryptographicException("libsodium could not allocate a ChaCha20-Poly1305 key and the platform has no ChaCha20-Poly1305.");
                    }

                    break;
            }

            Backend = backend;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(iv);
        }
    }

    /// <summary>Test hook: makes libsodium key imports on this thread fail as when guarded memory runs out.</summary>
    [ThreadStatic]
    internal static bool t_failSodiumImportsForTests;

    private static bool TryImportSodiumKey(SodiumAead algorithm, ReadOnlySpan<byte> key, out SodiumKey? imported)
    {
        imported = null;
        if (t_failSodiumImportsForTests) return false;
        try
        {
            // Raw import copies the key into libsodium's guarded memory; the default policy forbids export.
            imported = SodiumKey.Import(algorithm, key, NSec.Cryptography.KeyBlobFormat.RawSymmetricKey);
            return true;
        }
        catch (OutOfMemoryException)
        {
            return false;
        }
    }

    /// <summary>The negotiated cipher suite this key belongs to.</summary>
    public CipherSuite Suite { get; }

    /// <summary>The library that seals and opens with this key.</summary>
    internal AeadBackend Backend { get; }

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
    /// Encrypts the payload, <c>payloadAndTag[..^16]</c>, in place and writes the 16-byte tag into the last 16 bytes
    /// of <paramref name="payloadAndTag"/>: the packet layout, and the fast path of every backend.
    /// <paramref name="associatedData"/> is the unprotected header up to and including the packet number; it
    /// must not overlap <paramref name="payloadAndTag"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The key reached its confidentiality limit (RFC 9001 section 6.6).</exception>
    public void Seal(ulong packetNumber, ReadOnlySpan<byte> associatedData, Span<byte> payloadAndTag)
    {
        if (payloadAndTag.Length < TagLength)
            throw new ArgumentException($"The buffer needs {TagLength} bytes for the tag.", nameof(payloadAndTag));
        Encrypt(packetNumber, associatedData, payloadAndTag[..^TagLength], payloadAndTag[^TagLength..]);
    }

    /// <summary>
    /// Encrypts <paramref name="payloadInPlace"/> in place and writes the 16-byte tag to <paramref name="tag"/>.
    /// <paramref name="associatedData"/> is the unprotected header up to and including the packet number; it
    /// must not overlap the payload or the tag. With a libsodium backend the tag should directly follow the
    /// payload in memory (as in a packet, see <see cref="Seal"/>); otherwise the payload goes through a pooled
    /// buffer.
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
        else if (_chaCha is not null)
            _chaCha.Encrypt(nonce, payloadInPlace, payloadInPlace, tag, associatedData);
        else if (TryJoin(payloadInPlace, tag, out Span<byte> joined))
            _sodium!.Encrypt(_sodiumKey!, nonce, associatedData, joined[..^TagLength], joined);
        else
            SodiumEncryptDetached(nonce, associatedData, payloadInPlace, tag);
        _encryptedPackets++;
    }

    /// <summary>
    /// Decrypts the ciphertext, <c>ciphertextAndTag[..^16]</c>, in place and checks the tag in the last 16 bytes
    /// (the packet layout; see <see cref="TryDecrypt"/> for the outcome). Returns false when the buffer cannot hold a tag.
    /// </summary>
    public bool TryOpen(ulong packetNumber, ReadOnlySpan<byte> associatedData, Span<byte> ciphertextAndTag)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (ciphertextAndTag.Length < TagLength)
            return false;
        return TryDecrypt(packetNumber, associatedData, ciphertextAndTag[..^TagLength], ciphertextAndTag[^TagLength..]);
    }

    /// <summary>
    /// Decrypts <paramref name="ciphertextInPlace"/> in place and checks <paramref name="tag"/>.
    /// Returns false, and counts a failed decryption, when authentication fails; the contents of
    /// <paramref name="ciphertextInPlace"/> are then unspecified (both libraries clear them) and the packet must be dropped.
    /// With libsodium a failure is a return code and costs what a success does; with the platform's AEAD it costs a
    /// caught <see cref="AuthenticationTagMismatchException"/> (a few microseconds and a small allocation).
    /// Successful decryption allocates nothing when the tag directly follows the ciphertext (as in a packet).
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
        bool authentic;
        if (_sodium is not null)
        {
            authentic = TryJoin(ciphertextInPlace, tag, out Span<byte> joined)
                ? _sodium.Decrypt(_sodiumKey!, nonce, associatedData, joined, joined[..^TagLength])
                : SodiumDecryptDetached(nonce, associatedData, ciphertextInPlace, tag);
        }
        else
        {
            authentic = TryPlatformDecrypt(nonce, associatedData, ciphertextInPlace, tag);
        }

        if (!authentic)
            _failedDecryptions++;
        return authentic;
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
            return new PacketKey(Suite, next, AeadLimits.ConfidentialityLimit(Suite), Backend);
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
        _sodiumKey?.Dispose();
    }

    private bool TryPlatformDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, Span<byte> ciphertextInPlace, ReadOnlySpan<byte> tag)
    {
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
            return false;
        }
    }

    /// <summary>
    /// libsodium (through NSec) takes the ciphertext with its tag appended, in one span. Packets have that layout, so
    /// when <paramref name="tag"/> starts right where <paramref name="data"/> ends, the two are one span already.
    /// </summary>
    private static bool TryJoin(Span<byte> data, ReadOnlySpan<byte> tag, out Span<byte> joined)
    {
        ref byte start = ref MemoryMarshal.GetReference(data);
        if (Unsafe.AreSame(ref Unsafe.Add(ref start, data.Length), ref MemoryMarshal.GetReference(tag)))
        {
            joined = MemoryMarshal.CreateSpan(ref start, data.Length + TagLength);
            return true;
        }

        joined = default;
        return false;
    }

    /// <summary>Separate payload and tag buffers (tests, callers with their own layout): one copy through a pooled buffer.</summary>
    private void SodiumEncryptDetached(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, Span<byte> payloadInPlace, Span<byte> tag)
    {
        byte[] rented = ArrayPool<byte>.Shared.Rent(payloadInPlace.Length + TagLength);
        try
        {
            Span<byte> joined = rented.AsSpan(0, payloadInPlace.Length + TagLength);
            payloadInPlace.CopyTo(joined);
            _sodium!.Encrypt(_sodiumKey!, nonce, associatedData, joined[..^TagLength], joined);
            joined[..^TagLength].CopyTo(payloadInPlace);
            joined[^TagLength..].CopyTo(tag);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }

    private bool SodiumDecryptDetached(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, Span<byte> ciphertextInPlace, ReadOnlySpan<byte> tag)
    {
        byte[] rented = ArrayPool<byte>.Shared.Rent(ciphertextInPlace.Length + TagLength);
        try
        {
            Span<byte> joined = rented.AsSpan(0, ciphertextInPlace.Length + TagLength);
            ciphertextInPlace.CopyTo(joined);
            tag.CopyTo(joined[^TagLength..]);
            bool authentic = _sodium!.Decrypt(_sodiumKey!, nonce, associatedData, joined, joined[..^TagLength]);
            joined[..^TagLength].CopyTo(ciphertextInPlace);
            return authentic;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }

    /// <summary>RFC 9001 section 5.3: IV XOR the packet number left-padded to 12 bytes.</summary>
    private void WriteNonce(ulong packetNumber, Span<byte> nonce)
    {
        BinaryPrimitives.WriteUInt32BigEndian(nonce, _ivHigh);
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], _ivLow ^ packetNumber);
    }
}
