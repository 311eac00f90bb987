using System.Net.Sockets;
using AwgProxy.Socks5.Protocol;

namespace AwgProxy.Socks5;

/// <summary>Maps socket errors onto the RFC 1928 reply codes that describe them.</summary>
public static class SocketErrorExtensions
{
    /// <summary>
    /// The REP that tells a SOCKS client what <paramref name="error"/> meant: refused → X'05', host unreachable
    /// or not found → X'04', network unreachable or down → X'03', timed out → X'06', access denied → X'02',
    /// address family not supported → X'08', anything else → X'01'.
    /// </summary>
    public static Socks5ReplyCode ToSocks5ReplyCode(this SocketError error) => error switch
    {
        SocketError.ConnectionRefused => Socks5ReplyCode.ConnectionRefused,
        SocketError.HostUnreachable or SocketError.HostDown or SocketError.HostNotFound or SocketError.NoData
            => Socks5ReplyCode.HostUnreachable,
        SocketError.NetworkUnreachable or SocketError.NetworkDown => Socks5ReplyCode.NetworkUnreachable,
        SocketError.TimedOut => Socks5ReplyCode.TtlExpired,
        SocketError.AccessDenied => Socks5ReplyCode.ConnectionNotAllowed,
        SocketError.AddressFamilyNotSupported => Socks5ReplyCode.AddressTypeNotSupported,
        _ => Socks5ReplyCode.GeneralFailure,
    };
}
