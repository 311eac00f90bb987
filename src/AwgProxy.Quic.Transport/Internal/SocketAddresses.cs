using System.Net;
using System.Net.Sockets;

namespace AwgProxy.Quic.Transport.Internal;

/// <summary>Conversions between <see cref="SocketAddress"/> (what the core and paths use) and <see cref="IPEndPoint"/>.</summary>
internal static class SocketAddresses
{
    private static readonly IPEndPoint s_v4 = new(IPAddress.Any, 0);
    private static readonly IPEndPoint s_v6 = new(IPAddress.IPv6Any, 0);

    public static IPEndPoint ToEndPoint(SocketAddress address) =>
        (IPEndPoint)(address.Family == AddressFamily.InterNetworkV6 ? s_v6 : s_v4).Create(address);

    /// <summary>
    /// <paramref name="remote"/> as the path bound to <paramref name="local"/> addresses it: IPv4 destinations become
    /// IPv4-mapped IPv6 on an IPv6 socket.
    /// </summary>
    public static IPEndPoint ForPath(IPEndPoint remote, EndPoint local)
    {
        if (local.AddressFamily == AddressFamily.InterNetworkV6 && remote.AddressFamily == AddressFamily.InterNetwork)
        {
            return new IPEndPoint(remote.Address.MapToIPv6(), remote.Port);
        }

        if (local.AddressFamily == AddressFamily.InterNetwork && remote.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (!remote.Address.IsIPv4MappedToIPv6)
            {
                throw new ArgumentException($"An IPv4 path ({local}) cannot reach the IPv6 address {remote}.", nameof(remote));
            }

            return new IPEndPoint(remote.Address.MapToIPv4(), remote.Port);
        }

        return remote;
    }
}
