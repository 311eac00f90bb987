namespace AwgProxy.Interop.Tests.Peers;

/// <summary>The handshake variations every interop direction runs with.</summary>
public enum InteropVariant
{
    /// <summary>Both sides' defaults.</summary>
    Default,

    /// <summary>The server sends Retry to every client.</summary>
    Retry,

    /// <summary>Key exchange restricted to secp256r1 (P-256).</summary>
    P256,

    /// <summary>TLS_CHACHA20_POLY1305_SHA256 only.</summary>
    ChaCha20,

    /// <summary>ngtcp2's client initiates a key update 20 ms after the handshake.</summary>
    KeyUpdate,

    /// <summary>ngtcp2's client moves to a new local address 40 ms after the handshake (connection migration).</summary>
    Migration,
}
