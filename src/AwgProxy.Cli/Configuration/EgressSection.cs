namespace AwgProxy.Cli.Configuration;

/// <summary>
/// The server's <c>[Egress]</c> section. Destinations on loopback, private, link-local (including
/// cloud metadata), multicast and the server's own addresses are refused by default.
/// </summary>
public sealed class EgressSection
{
    /// <summary>Comma-separated CIDR networks allowed despite that default, e.g. <c>10.1.0.0/16, fd00::/8</c>.</summary>
    public string? AllowNetworks { get; set; }
}
