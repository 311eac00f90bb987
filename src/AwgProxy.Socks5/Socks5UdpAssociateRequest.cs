using System.Net;
using AwgProxy.Socks5.Protocol;

namespace AwgProxy.Socks5;

/// <summary>An authenticated UDP ASSOCIATE request, as handed to <see cref="ISocks5UdpAssociateHandler"/>.</summary>
public sealed class Socks5UdpAssociateRequest
{
    /// <summary>Creates a request.</summary>
    public Socks5UdpAssociateRequest(
        long sessionId,
        string userName,
        IPEndPoint clientEndPoint,
        IPEndPoint serverEndPoint,
        Socks5Address clientUdpAddress,
        ushort clientUdpPort)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(clientEndPoint);
        ArgumentNullException.ThrowIfNull(serverEndPoint);
        SessionId = sessionId;
        UserName = userName;
        ClientEndPoint = clientEndPoint;
        ServerEndPoint = serverEndPoint;
        ClientUdpAddress = clientUdpAddress;
        ClientUdpPort = clientUdpPort;
    }

    /// <summary>The server's number for the session, as used in its logs.</summary>
    public long SessionId { get; }

    /// <summary>The authenticated user (the configured name).</summary>
    public string UserName { get; }

    /// <summary>The SOCKS client's TCP endpoint.</summary>
    public IPEndPoint ClientEndPoint { get; }

    /// <summary>The local endpoint the client connected to (bind the UDP relay on this address).</summary>
    public IPEndPoint ServerEndPoint { get; }

    /// <summary>
    /// DST.ADDR: the address the client expects to send datagrams from; all zeros when it does not know
    /// (RFC 1928 §7). Only datagrams from it should be relayed.
    /// </summary>
    public Socks5Address ClientUdpAddress { get; }

    /// <summary>DST.PORT: the client's UDP source port, or 0 when unknown.</summary>
    public ushort ClientUdpPort { get; }
}
