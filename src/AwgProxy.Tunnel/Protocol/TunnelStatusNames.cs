namespace AwgProxy.Tunnel.Protocol;

/// <summary>Stable snake_case names of <see cref="TunnelStatus"/> values for logs and metric tags.</summary>
public static class TunnelStatusNames
{
    public static string Get(TunnelStatus status) => status switch
    {
        TunnelStatus.Succeeded => "succeeded",
        TunnelStatus.GeneralFailure => "general_failure",
        TunnelStatus.NotAllowedByRuleset => "not_allowed",
        TunnelStatus.NetworkUnreachable => "network_unreachable",
        TunnelStatus.HostUnreachable => "host_unreachable",
        TunnelStatus.ConnectionRefused => "connection_refused",
        TunnelStatus.TtlExpired => "ttl_expired",
        TunnelStatus.CommandNotSupported => "command_not_supported",
        TunnelStatus.AddressTypeNotSupported => "address_type_not_supported",
        _ => "unknown",
    };
}
