namespace AwgProxy.Tunnel.Server;

/// <summary>What the egress policy says about one destination address or port.</summary>
public enum EgressVerdict
{
    /// <summary>The server may connect.</summary>
    Allowed,

    /// <summary>In a configured deny-list network (<see cref="EgressPolicyOptions.DeniedNetworks"/>).</summary>
    DeniedNetwork,

    /// <summary>The port is on <see cref="EgressPolicyOptions.DeniedPorts"/>.</summary>
    DeniedPort,

    /// <summary>127.0.0.0/8 or ::1.</summary>
    Loopback,

    /// <summary>10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7 (unique local), fec0::/10 (site-local).</summary>
    Private,

    /// <summary>100.64.0.0/10, the carrier-grade NAT shared address space (RFC 6598).</summary>
    SharedAddressSpace,

    /// <summary>169.254.0.0/16 (cloud metadata at 169.254.169.254 included) or fe80::/10.</summary>
    LinkLocal,

    /// <summary>224.0.0.0/4 or ff00::/8.</summary>
    Multicast,

    /// <summary>0.0.0.0/8 ("this network"; Linux connects 0.0.0.0 to the local host) or ::.</summary>
    Unspecified,

    /// <summary>255.255.255.255.</summary>
    Broadcast,

    /// <summary>240.0.0.0/4 (reserved, never routed).</summary>
    Reserved,

    /// <summary>One of the server's own interface addresses.</summary>
    LocalAddress,
}
