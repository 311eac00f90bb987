namespace AwgProxy.Cli.Configuration;

/// <summary>
/// One client the server admits: a <c>[Clients:&lt;name&gt;]</c> section. The name (letters, digits,
/// '.', '_', '-') appears in logs, metrics and limits.
/// </summary>
public sealed class PeerSection
{
    /// <summary>The client's public key (base64). Required.</summary>
    [Secret]
    public string? PublicKey { get; set; }

    /// <summary>True keeps the entry (for the logs) but refuses the client.</summary>
    public bool Revoked { get; set; }
}
