using AwgProxy.Cli.Identity;

namespace AwgProxy.Cli.Configuration;

/// <summary>A client the server knows: <c>[Clients:&lt;Name&gt;]</c>.</summary>
/// <param name="Name">Used in logs, metrics and limits.</param>
/// <param name="PublicKey">What its TLS client authentication must prove.</param>
/// <param name="Revoked">Known but refused.</param>
public sealed record AuthorizedClient(string Name, IdentityPublicKey PublicKey, bool Revoked);
