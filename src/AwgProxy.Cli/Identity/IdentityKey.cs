using System.Diagnostics.CodeAnalysis;
using NSec.Cryptography;

namespace AwgProxy.Cli.Identity;

/// <summary>
/// An Ed25519 identity key pair, WireGuard style: the private key is the 32-byte Ed25519 seed (NSec's
/// <see cref="KeyBlobFormat.RawPrivateKey"/>), the public key the 32-byte encoded point, both written
/// as 44 base64 characters on one line (<c>awgproxy genkey | awgproxy pubkey</c>).
/// The private key lives in NSec's protected memory; dispose the pair when done.
/// <para>This type lives in the CLI for now; the tunnel runtime (TLS client authentication) can take
/// <see cref="Key"/> directly or move this file to a shared project.</para>
/// </summary>
public sealed class IdentityKey : IDisposable
{
    private static readonly SignatureAlgorithm s_algorithm = SignatureAlgorithm.Ed25519;

    private readonly Key _key;

    private IdentityKey(Key key)
    {
        _key = key;
        PublicKey = new IdentityPublicKey(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>The public half.</summary>
    public IdentityPublicKey PublicKey { get; }

    /// <summary>The NSec key, for signing (exportable as plaintext).</summary>
    public Key Key => _key;

    /// <summary>A new random key pair.</summary>
    public static IdentityKey Generate() =>
        new(Key.Create(s_algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>Imports a 32-byte private key (seed).</summary>
    public static IdentityKey Import(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != KeyText.KeySize)
        {
            throw new ArgumentException($"An Ed25519 private key is {KeyText.KeySize} bytes.", nameof(privateKey));
        }

        return new IdentityKey(Key.Import(
            s_algorithm,
            privateKey,
            KeyBlobFormat.RawPrivateKey,
            new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));
    }

    /// <summary>
    /// Parses a private key's base64 form (surrounding whitespace allowed). <paramref name="error"/>
    /// says what is wrong and never quotes the input.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out IdentityKey? key, out string? error)
    {
        Span<byte> seed = stackalloc byte[KeyText.KeySize];
        try
        {
            if (!KeyText.TryParse(text, seed, out error))
            {
                key = null;
                return false;
            }

            key = Import(seed);
            return true;
        }
        finally
        {
            seed.Clear();
        }
    }

    /// <summary>The private key's base64 form. Print it only where the user asked for it.</summary>
    public string ExportPrivateKey()
    {
        var seed = _key.Export(KeyBlobFormat.RawPrivateKey);
        try
        {
            return KeyText.Format(seed);
        }
        finally
        {
            Array.Clear(seed);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _key.Dispose();

    /// <summary>Never the key: "Ed25519 key &lt;public key&gt;".</summary>
    public override string ToString() => $"Ed25519 key {PublicKey}";
}
