namespace AwgProxy.Quic.Tls.KeyExchange;

/// <summary>
/// One ephemeral (EC)DHE key pair for a key_share entry (RFC 8446 section 4.2.8), used for exactly one
/// handshake and then disposed.
/// </summary>
internal abstract class KeyExchange : IDisposable
{
    public abstract NamedGroup Group { get; }

    /// <summary>The key_exchange bytes of this side's KeyShareEntry.</summary>
    public abstract byte[] PublicKey { get; }

    /// <summary>
    /// Computes the (EC)DHE shared secret with the peer's key_exchange. Returns false when the peer's
    /// value is malformed, not a valid point, or yields a degenerate secret (illegal_parameter).
    /// </summary>
    public abstract bool TryDeriveSharedSecret(ReadOnlySpan<byte> peerKeyExchange, out byte[] sharedSecret);

    public static bool IsSupported(NamedGroup group) => group is NamedGroup.X25519 or NamedGroup.Secp256r1;

    /// <summary>A fresh key pair for <paramref name="group"/>, its private key drawn from <paramref name="random"/>.</summary>
    public static KeyExchange Create(NamedGroup group, RandomFill random) => group switch
    {
        NamedGroup.X25519 => new X25519KeyExchange(random),
        NamedGroup.Secp256r1 => new Secp256r1KeyExchange(random),
        _ => throw new ArgumentOutOfRangeException(nameof(group), group, "Unsupported group."),
    };

    public abstract void Dispose();
}
