namespace AwgProxy.Tunnel.Quic;

/// <summary>A client the server knows: its configured name and its raw 32-byte Ed25519 public key.</summary>
/// <param name="Name">Used in logs, metrics and limits.</param>
/// <param name="PublicKey">What its TLS client certificate must carry.</param>
/// <param name="Revoked">Known but refused (the name still appears in the log when it tries).</param>
public sealed record AuthorizedTunnelClient(string Name, byte[] PublicKey, bool Revoked);
