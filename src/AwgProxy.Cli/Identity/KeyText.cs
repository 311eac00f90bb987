using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Cli.Identity;

/// <summary>
/// The text form of a 32-byte key, as <c>wg</c> writes one: standard base64 with padding, exactly 44
/// characters, on one line. Parsing trims surrounding whitespace (a trailing newline from a pipe or
/// a file), accepts only the canonical encoding, and never puts the input in an error message: it
/// may be a private key. Keys themselves are <see cref="Ed25519KeyPair"/> (the TLS layer's identity
/// type: the 32-byte seed and the 32-byte public point) and <see cref="IdentityPublicKey"/>.
/// </summary>
public static class KeyText
{
    /// <summary>Bytes in a key.</summary>
    public const int KeySize = 32;

    /// <summary>Characters in a key's base64 form (32 bytes → 43 characters + one '=').</summary>
    public const int Base64Length = 44;

    /// <summary>Writes <paramref name="key"/> as 44 base64 characters.</summary>
    public static string Format(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"A key is {KeySize} bytes.", nameof(key));
        }

        return Convert.ToBase64String(key);
    }

    /// <summary>
    /// Decodes a key. On failure <paramref name="error"/> says what is wrong (empty, not base64, wrong
    /// length) without quoting the text.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, Span<byte> key, out string? error)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"The destination must be {KeySize} bytes.", nameof(key));
        }

        text = text.Trim();
        if (text.IsEmpty)
        {
            error = "the key is empty";
            return false;
        }

        if (!Base64.IsValid(text, out var decodedLength) || text.ContainsAny(" \t\r\n"))
        {
            error = "the key is not valid base64";
            return false;
        }

        if (decodedLength != KeySize || text.Length != Base64Length)
        {
            error = $"the key decodes to {decodedLength} bytes; a key is {KeySize} bytes ({Base64Length} base64 characters ending in '=')";
            return false;
        }

        if (!Convert.TryFromBase64Chars(text, key, out var written) || written != KeySize)
        {
            error = "the key is not valid base64";
            return false;
        }

        // Reject non-canonical encodings (stray bits in the last character): one key, one text.
        Span<char> canonical = stackalloc char[Base64Length];
        if (!Convert.TryToBase64Chars(key, canonical, out _) || !canonical.SequenceEqual(text))
        {
            key.Clear();
            error = "the key is not canonical base64 (its last character has stray bits)";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// Parses a private key's text form into its key pair. <paramref name="error"/> says what is wrong and
    /// never quotes the input.
    /// </summary>
    public static bool TryParsePrivateKey(ReadOnlySpan<char> text, [NotNullWhen(true)] out Ed25519KeyPair? key, out string? error)
    {
        Span<byte> seed = stackalloc byte[KeySize];
        try
        {
            if (!TryParse(text, seed, out error))
            {
                key = null;
                return false;
            }

            key = Ed25519KeyPair.FromPrivateKey(seed);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }
}
