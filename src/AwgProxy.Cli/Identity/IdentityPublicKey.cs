using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Cli.Identity;

/// <summary>
/// An Ed25519 public key (32 bytes) identifying a client or a server: what <c>awgproxy pubkey</c>
/// prints, what a client pins as <c>ServerPublicKey</c> and what a server lists per client. Compared
/// by value; <see cref="ToString"/> is the base64 form.
/// </summary>
public sealed class IdentityPublicKey : IEquatable<IdentityPublicKey>
{
    private readonly byte[] _bytes;

    /// <summary>Copies a raw 32-byte Ed25519 public key.</summary>
    public IdentityPublicKey(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != KeyText.KeySize)
        {
            throw new ArgumentException($"An Ed25519 public key is {KeyText.KeySize} bytes.", nameof(bytes));
        }

        _bytes = bytes.ToArray();
    }

    /// <summary>The raw key, as TLS's Ed25519 verification and NSec's RawPublicKey format take it.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Parses the base64 form; <paramref name="error"/> never quotes the input.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IdentityPublicKey? key, out string? error)
    {
        Span<byte> bytes = stackalloc byte[KeyText.KeySize];
        if (!KeyText.TryParse(text, bytes, out error))
        {
            key = null;
            return false;
        }

        key = new IdentityPublicKey(bytes);
        return true;
    }

    /// <summary>The public half of <paramref name="keyPair"/>.</summary>
    public static IdentityPublicKey Of(Ed25519KeyPair keyPair)
    {
        ArgumentNullException.ThrowIfNull(keyPair);
        return new IdentityPublicKey(keyPair.PublicKey);
    }

    /// <summary>A copy of the raw key, as the TLS layer pins and compares it.</summary>
    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <inheritdoc/>
    public bool Equals(IdentityPublicKey? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as IdentityPublicKey);

    /// <inheritdoc/>
    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);

    /// <summary>The base64 form (44 characters).</summary>
    public override string ToString() => KeyText.Format(_bytes);
}
