namespace AwgProxy.Cli.Configuration;

/// <summary>
/// A server config file as bound: <c>[Server]</c>, one <c>[Clients:&lt;name&gt;]</c> per admitted
/// client, <c>[Limits]</c>, <c>[Timeouts]</c>, <c>[Egress]</c>, <c>[Awg]</c>, <c>[Metrics]</c>, <c>[Log]</c>.
/// </summary>
public sealed class ServerConfig : ProxyConfig
{
    /// <inheritdoc/>
    public override ProxyRole Role => ProxyRole.Server;

    /// <summary><c>[Server]</c>.</summary>
    public ServerSection Server { get; set; } = new();

    /// <summary>The admitted clients by name (<c>[Clients:laptop]</c> → key <c>laptop</c>).</summary>
    public Dictionary<string, PeerSection> Clients { get; set; } = new(StringComparer.Ordinal);

    /// <summary><c>[Limits]</c>.</summary>
    public LimitsSection Limits { get; set; } = new();

    /// <summary><c>[Timeouts]</c>.</summary>
    public ServerTimeoutsSection Timeouts { get; set; } = new();

    /// <summary><c>[Egress]</c>.</summary>
    public EgressSection Egress { get; set; } = new();
}
