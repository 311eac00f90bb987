namespace AwgProxy.Cli.Configuration;

/// <summary>The <c>[Server]</c> section: identity and the UDP address to listen on.</summary>
public sealed class ServerSection
{
    /// <summary>The server's Ed25519 private key (base64). Required.</summary>
    [Secret]
    public string? PrivateKey { get; set; }

    /// <summary>UDP address to listen on, <c>ip:port</c> or <c>[v6]:port</c>.</summary>
    public string? Listen { get; set; } = ConfigDefaults.ServerListen;

    /// <summary>Largest UDP payload on the path; unset = 1452 when listening on IPv6, else 1472.</summary>
    public int? WireMtu { get; set; }
}
