using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using AwgProxy.Socks5.Protocol;

namespace AwgProxy.Socks5.Tests.Infrastructure;

/// <summary>
/// Dials the destination directly over TCP. IP addresses are dialled as given; domain names are looked up
/// only in <see cref="Hosts"/> (never DNS), so a test proves the server passed the name through unresolved.
/// </summary>
internal sealed class DirectConnectHandler : ISocks5ConnectHandler
{
    public ConcurrentDictionary<string, IPAddress> Hosts { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<Socks5ConnectRequest> Requests { get; } = new();

    public ConcurrentQueue<SocketUpstream> Upstreams { get; } = new();

    public async ValueTask<Socks5ConnectResult> ConnectAsync(Socks5ConnectRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        IPAddress address;
        if (request.DestinationAddress.Type == Socks5AddressType.DomainName)
        {
            if (!Hosts.TryGetValue(request.DestinationAddress.DomainName!, out address!))
            {
                return Socks5ConnectResult.Failure(Socks5ReplyCode.HostUnreachable);
            }
        }
        else
        {
            address = request.DestinationAddress.IPAddress!;
        }

        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, request.DestinationPort), cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var local = (IPEndPoint)socket.LocalEndPoint!;
        var upstream = new SocketUpstream(socket);
        Upstreams.Enqueue(upstream);
        return Socks5ConnectResult.Success(upstream, Socks5Address.FromIPAddress(local.Address), (ushort)local.Port);
    }
}
