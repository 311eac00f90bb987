using AwgProxy.Tunnel.Protocol;

namespace AwgProxy.Tunnel.Client;

/// <summary>
/// The answer to <see cref="TunnelClient.OpenAsync"/>: the status (equal to the RFC 1928 REP code the
/// SOCKS5 front end sends) and, on success only, the open stream, which the caller owns.
/// </summary>
public readonly record struct TunnelOpenResult(TunnelStatus Status, ITunnelStream? Stream)
{
    public bool Succeeded => Status == TunnelStatus.Succeeded;
}
