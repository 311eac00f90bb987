using System.Net;
using AwgProxy.Quic.Connections;

namespace AwgProxy.Quic.Transport.Internal;

/// <summary>What a server endpoint driver asks of its listener; every call is made under the driver's lock.</summary>
internal interface IConnectionAcceptor
{
    /// <summary>Whether a new client may start a handshake now (the backlog has room).</summary>
    bool Admit(SocketAddress remote);

    /// <summary>The core accepted a client: wrap it.</summary>
    QuicConnection OnNewConnection(Connection core);

    /// <summary>The handshake of <paramref name="connection"/> completed: queue it for AcceptConnectionAsync.</summary>
    void OnConnected(QuicConnection connection);

    /// <summary>The handshake of <paramref name="connection"/> failed or was abandoned.</summary>
    void OnHandshakeFailed(QuicConnection connection);
}
