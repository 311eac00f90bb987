using System.Net;
using AwgProxy.Socks5.Protocol;

namespace AwgProxy.Socks5;

/// <summary>An authenticated CONNECT request, as handed to <see cref="ISocks5ConnectHandler"/>.</summary>
public sealed class Socks5ConnectRequest
{
    /// <summary>Creates a request.</summary>
    public Socks5ConnectRequest(
        long sessionId,
        string userName,
        IPEndPoint clientEndPoint,
        IPEndPoint serverEndPoint,
        Socks5Address destinationAddress,
        ushort destinationPort)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(clientEndPoint);
        ArgumentNullException.ThrowIfNull(serverEndPoint);
        if (destinationAddress.Type == 0)
        {
            throw new ArgumentException("The destination address has no address type.", nameof(destinationAddress));
        }

        SessionId = sessionId;
        UserName = userName;
        ClientEndPoint = clientEndPoint;
        ServerEndPoint = serverEndPoint;
        DestinationAddress = destinationAddress;
        DestinationPort = destinationPort;
    }

    /// <summary>The server's number for the session, as used in its logs.</summary>
    public long SessionId { get; }

    /// <summary>The authenticated user (the configured name).</summary>
    public string UserName { get; }

    /// <summary>The SOCKS client's TCP endpoint.</summary>
    public IPEndPoint ClientEndPoint { get; }

    /// <summary>The local endpoint the client connected to.</summary>
    public IPEndPoint ServerEndPoint { get; }

    /// <summary>DST.ADDR: an IPv4 or IPv6 address, or an unresolved domain name.</summary>
    public Socks5Address DestinationAddress { get; }

    /// <summary>DST.PORT.</summary>
    public ushort DestinationPort { get; }
}
