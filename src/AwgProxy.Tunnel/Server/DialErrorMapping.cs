using System.Net.Sockets;
using AwgProxy.Tunnel.Protocol;

namespace AwgProxy.Tunnel.Server;

/// <summary>Maps socket and resolver errors onto tunnel statuses (RFC 1928 REP codes).</summary>
public static class DialErrorMapping
{
    /// <summary>
    /// A failed connect: ECONNREFUSED → 5, EHOSTUNREACH/EHOSTDOWN → 4, ENETUNREACH/ENETDOWN → 3,
    /// ETIMEDOUT → 6; anything else → 1.
    /// </summary>
    public static TunnelStatus FromConnectError(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => TunnelStatus.ConnectionRefused,
        SocketError.HostUnreachable => TunnelStatus.HostUnreachable,
        SocketError.HostDown => TunnelStatus.HostUnreachable,
        SocketError.NetworkUnreachable => TunnelStatus.NetworkUnreachable,
        SocketError.NetworkDown => TunnelStatus.NetworkUnreachable,
        SocketError.TimedOut => TunnelStatus.TtlExpired,
        _ => TunnelStatus.GeneralFailure,
    };

    /// <summary>
    /// A failed name lookup: the name does not exist, has no address, or the resolver could not say
    /// (HostNotFound, NoData, TryAgain) → 4; anything else → 1.
    /// </summary>
    public static TunnelStatus FromResolveError(SocketError error) => error switch
    {
        SocketError.HostNotFound => TunnelStatus.HostUnreachable,
        SocketError.NoData => TunnelStatus.HostUnreachable,
        SocketError.TryAgain => TunnelStatus.HostUnreachable,
        _ => TunnelStatus.GeneralFailure,
    };

    /// <summary>
    /// Rank of a failure status when every connect attempt failed: the most telling one is reported
    /// (refused beats host unreachable beats timeout beats network unreachable beats general failure).
    /// </summary>
    internal static int Rank(TunnelStatus status) => status switch
    {
        TunnelStatus.ConnectionRefused => 5,
        TunnelStatus.HostUnreachable => 4,
        TunnelStatus.TtlExpired => 3,
        TunnelStatus.NetworkUnreachable => 2,
        _ => 1,
    };
}
