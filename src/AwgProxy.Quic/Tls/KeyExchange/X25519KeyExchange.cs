using System.Security.Cryptography;
using NSec.Cryptography;

namespace AwgProxy.Quic.Tls.KeyExchange;

/// <summary>
/// x25519 (RFC 7748; RFC 8446 section 4.2.8.2: key_exchange is the 32-byte public value). The private
/// key is 32 random bytes (libsodium clamps it). RFC 8446 section 7.4.2: an all-zero shared secret
/// aborts the handshake.
/// </summary>
internal sealed class X25519KeyExchange : KeyExchange
{
    private const int KeyLength = 32;
    private readonly Key _key;

    public X25519KeyExchange(RandomFill random)
    {
        Span<byte> privateKey = stackalloc byte[KeyLength];
        random(privateKey);
        _key = Key.Import(KeyAgreementAlgorithm.X25519, privateKey, KeyBlobFormat.RawPrivateKey);
        CryptographicOperations.ZeroMemory(privateKey);
        PublicKey = _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    public override NamedGroup Group => NamedGroup.X25519;

    public override byte[] PublicKey { get; }

    public override bool TryDeriveSharedSecret(ReadOnlySpan<byte> peerKeyExchange, out byte[] sharedSecret)
    {
        sharedSecret = [];
        if (peerKeyExchange.Length != KeyLength) return false;
        if (!NSec.Cryptography.PublicKey.TryImport(KeyAgreementAlgorithm.X25519, peerKeyExchange, KeyBlobFormat.RawPublicKey, out NSec.Cryptography.PublicKey? peer) || peer is null)
        {
            return false;
        }

        try
        {
            var parameters = new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
            using SharedSecret? secret = KeyAgreementAlgorithm.X25519.Agree(_key, peer, in parameters);
            if (secret is null) return false;
            byte[] raw = secret.Export(SharedSecretBlobFormat.RawSharedSecret);
            if (raw.Length != KeyLength || IsAllZero(raw)) return false;
            sharedSecret = raw;
            return true;
        }
        catch (CryptographicException)
        {
            // libsodium refuses low-order points (all-zero output).
            return false;
        }
    }

    private static bool IsAllZero(ReadOnlySpan<byte> value)
    {
        byte acc = 0;
        foreach (byte b in value) acc |= b;
        return acc == 0;
    }

    public override void Dispose() => _key.Dispose();
}
