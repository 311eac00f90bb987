namespace AwgProxy.Tunnel.Server;

/// <summary>
/// Where the server may connect. By default every destination on the public internet is allowed
/// and loopback, private, shared (CGNAT), link-local, multicast, unspecified, broadcast, reserved
/// and the server's own addresses are refused (see <see cref="EgressPolicy"/>).
/// </summary>
public sealed class EgressPolicyOptions
{
    /// <summary>Allow 127.0.0.0/8 and ::1 (the demo runs everything on one machine). Default false.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>
    /// CIDRs (<c>10.1.0.0/16</c>, <c>fd00::/8</c>, a bare address for a /32 or /128) that are allowed
    /// even though a built-in rule or the own-address rule would refuse them.
    /// </summary>
    public IList<string> AllowedNetworks { get; set; } = [];

    /// <summary>CIDRs that are always refused; they win over <see cref="AllowedNetworks"/>.</summary>
    public IList<string> DeniedNetworks { get; set; } = [];

    /// <summary>Destination ports that are always refused (for example 25 against spam).</summary>
    public IList<int> DeniedPorts { get; set; } = [];

    /// <summary>How long the snapshot of the server's own interface addresses is reused. Default 1 minute.</summary>
    public TimeSpan LocalAddressRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);
}
