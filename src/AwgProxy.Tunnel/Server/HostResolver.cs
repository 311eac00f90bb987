using System.Net;

namespace AwgProxy.Tunnel.Server;

/// <summary>
/// Resolves a host name to its addresses; throws <see cref="System.Net.Sockets.SocketException"/>
/// (HostNotFound, NoData, TryAgain...) on failure. The default is <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/>.
/// </summary>
public delegate Task<IPAddress[]> HostResolver(string host, CancellationToken cancellationToken);
