using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace AwgProxy.Quic.Tls.Certificates;

/// <summary>
/// A WireGuard-style identity: an Ed25519 key pair (RFC 8032) held as two 32-byte values, written in
/// base64 the way <c>wg genkey</c> / <c>wg pubkey</c> print keys. The private key is the 32-byte seed.
/// </summary>
public sealed class Ed25519KeyPair
{
    /// <summary>Length of both the private key (seed) and the public key.</summary>
    public const int KeyLength = 32;

    /// <summary>Length of an Ed25519 signature.</summary>
    public const int SignatureLength = 64;

    private readonly byte[] _privateKey;
    private readonly byte[] _publicKey;

    private Ed25519KeyPair(ReadOnlySpan<byte> privateKey)
    {
        _privateKey = privateKey.ToArray();
        using Key key = ImportKey();
        _publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    /// <summary>A copy of the 32-byte private key (seed). Keep it secret.</summary>
    public byte[] PrivateKey => (byte[])_privateKey.Clone();

    /// <summary>A copy of the 32-byte public key.</summary>
    public byte[] PublicKey => (byte[])_publicKey.Clone();

    /// <summary>The private key in base64 (44 characters), like <c>wg genkey</c>.</summary>
    public string PrivateKeyBase64 => Convert.ToBase64String(_privateKey);

    /// <summary>The public key in base64 (44 characters), like <c>wg pubkey</c>.</summary>
    public string PublicKeyBase64 => Convert.ToBase64String(_publicKey);

    /// <summary>A new key pair from <paramref name="random"/> (default: <see cref="RandomNumberGenerator"/>).</summary>
    public static Ed25519KeyPair Generate(RandomFill? random = null)
    {
        Span<byte> seed = stackalloc byte[KeyLength];
        (random ?? RandomNumberGenerator.Fill)(seed);
        var pair = new Ed25519KeyPair(seed);
        CryptographicOperations.ZeroMemory(seed);
        return pair;
    }

    /// <summary>The key pair of a 32-byte private key (seed).</summary>
    public static Ed25519KeyPair FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != KeyLength) throw new ArgumentException($"An Ed25519 private key is {KeyLength} bytes.", nameof(privateKey));
        return new Ed25519KeyPair(privateKey);
    }

    /// <summary>Parses a base64 private key; throws <see cref="FormatException"/> if it is not 32 bytes of base64.</summary>
    public static Ed25519KeyPair FromPrivateKeyBase64(string privateKey)
        => TryParsePrivateKeyBase64(privateKey, out Ed25519KeyPair? pair)
            ? pair
            : throw new FormatException("Not a base64-encoded 32-byte Ed25519 private key.");

    public static bool TryParsePrivateKeyBase64(string? privateKey, [NotNullWhen(true)] out Ed25519KeyPair? pair)
    {
        pair = null;
        if (!TryDecodeKey(privateKey, out byte[] seed)) return false;
        pair = new Ed25519KeyPair(seed);
        CryptographicOperations.ZeroMemory(seed);
        return true;
    }

    /// <summary>Parses a base64 public key (32 bytes).</summary>
    public static bool TryParsePublicKeyBase64(string? publicKey, [NotNullWhen(true)] out byte[]? key)
    {
        key = null;
        if (!TryDecodeKey(publicKey, out byte[] decoded)) return false;
        key = decoded;
        return true;
    }

    /// <summary>Signs <paramref name="data"/> (pure Ed25519, RFC 8032 section 5.1.6).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        using Key key = ImportKey();
        return SignatureAlgorithm.Ed25519.Sign(key, data);
    }

    /// <summary>Verifies an Ed25519 signature by <paramref name="publicKey"/>. Never throws on malformed input.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != KeyLength || signature.Length != SignatureLength) return false;
        if (!NSec.Cryptography.PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out NSec.Cryptography.PublicKey? key) || key is null)
        {
            return false;
        }

        return SignatureAlgorithm.Ed25519.Verify(key, data, signature);
    }

    private Key ImportKey() => Key.Import(SignatureAlgorithm.Ed25519, _privateKey, KeyBlobFormat.RawPrivateKey);

    private static bool TryDecodeKey(string? text, out byte[] key)
    {
        key = [];
        if (text is null) return false;
        Span<byte> buffer = stackalloc byte[KeyLength + 3];
        if (!Convert.TryFromBase64String(text.Trim(), buffer, out int written) || written != KeyLength) return false;
        key = buffer[..KeyLength].ToArray();
        CryptographicOperations.ZeroMemory(buffer);
        return true;
    }
}
