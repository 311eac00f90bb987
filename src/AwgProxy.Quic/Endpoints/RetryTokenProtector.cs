using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using AwgProxy.Quic.Packets;
using AwgProxy.Quic.Tls;

namespace AwgProxy.Quic.Endpoints;

/// <summary>
/// Seals and opens Retry tokens (RFC 9000 section 8.1.4) with AES-128-GCM under an endpoint key. The client's
/// address is the associated data, so a token replayed from another address does not open.
/// <code>
/// Token {
///   Nonce (96),
///   Sealed {
///     Issued (64),                      Instant ticks
///     Original DCID Length (8), Original Destination Connection ID (0..160),
///     Retry SCID Length (8), Retry Source Connection ID (0..160),
///   },
///   Tag (128),
/// }
/// </code>
/// </summary>
internal sealed class RetryTokenProtector : IDisposable
{
    public const int NonceLength = 12;
    public const int TagLength = 16;
    public const int MaxLength = NonceLength + 8 + 1 + ConnectionId.MaxLength + 1 + ConnectionId.MaxLength + TagLength;
    private const int MinLength = NonceLength + 8 + 1 + 1 + TagLength;

    private readonly AesGcm _aead;
    private readonly RandomFill _random;
    private readonly TimeSpan _lifetime;

    public RetryTokenProtector(ReadOnlySpan<byte> key, RandomFill random, TimeSpan lifetime)
    {
        _aead = new AesGcm(key, TagLength);
        _random = random;
        _lifetime = lifetime;
    }

    /// <summary>Writes a token for <paramref name="client"/> into <paramref name="token"/> (at least <see cref="MaxLength"/> bytes); returns its length.</summary>
    public int Seal(SocketAddress client, ConnectionId originalDestination, ConnectionId retrySource, Instant now, Span<byte> token)
    {
        int plainLength = 8 + 1 + originalDestination.Length + 1 + retrySource.Length;
        Span<byte> plain = stackalloc byte[plainLength];
        BinaryPrimitives.WriteInt64BigEndian(plain, now.Ticks);
        plain[8] = (byte)originalDestination.Length;
        originalDestination.CopyTo(plain[9..]);
        plain[9 + originalDestination.Length] = (byte)retrySource.Length;
        retrySource.CopyTo(plain[(10 + originalDestination.Length)..]);

        Span<byte> nonce = token[..NonceLength];
        _random(nonce);
        _aead.Encrypt(nonce, plain, token.Slice(NonceLength, plainLength), token.Slice(NonceLength + plainLength, TagLength), AddressBytes(client));
        return NonceLength + plainLength + TagLength;
    }

    /// <summary>Opens a token presented by <paramref name="client"/>; false if forged, from another address, malformed or expired.</summary>
    public bool TryOpen(ReadOnlySpan<byte> token, SocketAddress client, Instant now, out ConnectionId originalDestination, out ConnectionId retrySource)
    {
        originalDestination = default;
        retrySource = default;
        if (token.Length is < MinLength or > MaxLength) return false;
        int plainLength = token.Length - NonceLength - TagLength;
        Span<byte> plain = stackalloc byte[plainLength];
        try
        {
            _aead.Decrypt(token[..NonceLength], token.Slice(NonceLength, plainLength), token[^TagLength..], plain, AddressBytes(client));
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        var issued = new Instant(BinaryPrimitives.ReadInt64BigEndian(plain));
        if (issued > now || now - issued > _lifetime) return false;
        int originalLength = plain[8];
        if (9 + originalLength >= plainLength) return false;
        int retryLength = plain[9 + originalLength];
        if (10 + originalLength + retryLength != plainLength) return false;
        return ConnectionId.TryCreate(plain.Slice(9, originalLength), out originalDestination)
            && ConnectionId.TryCreate(plain.Slice(10 + originalLength, retryLength), out retrySource);
    }

    public void Dispose() => _aead.Dispose();

    private static ReadOnlySpan<byte> AddressBytes(SocketAddress address) => address.Buffer.Span[..address.Size];
}
