namespace AwgProxy.Cli.Configuration;

/// <summary>The <c>[Client]</c> section: identity and the server to reach.</summary>
public sealed class ClientSection
{
    /// <summary>This client's Ed25519 private key (base64, from <c>awgproxy genkey</c>). Required.</summary>
    [Secret]
    public string? PrivateKey { get; set; }

    /// <summary>The server's public key (base64, its <c>awgproxy pubkey</c>), pinned. Required.</summary>
    [Secret]
    public string? ServerPublicKey { get; set; }

    /// <summary>The server as <c>host:port</c>, <c>1.2.3.4:port</c> or <c>[v6]:port</c>. Required.</summary>
    public string? Server { get; set; }

    /// <summary>Largest UDP payload on the path; unset = 1452 for an IPv6 literal server, else 1472.</summary>
    public int? WireMtu { get; set; }
}
