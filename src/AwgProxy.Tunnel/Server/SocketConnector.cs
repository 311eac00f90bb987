using System.Net;
using System.Net.Sockets;

namespace AwgProxy.Tunnel.Server;

/// <summary>
/// Opens a TCP connection to one address; throws <see cref="SocketException"/> on failure and
/// <see cref="OperationCanceledException"/> when canceled, disposing its socket either way.
/// </summary>
public delegate Task<Socket> SocketConnector(IPEndPoint endPoint, CancellationToken cancellationToken);
