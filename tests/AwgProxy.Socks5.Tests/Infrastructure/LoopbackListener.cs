using System.Net;
using System.Net.Sockets;

namespace AwgProxy.Socks5.Tests.Infrastructure;

/// <summary>A listening TCP socket on loopback whose accepted connections the test drives by hand.</summary>
internal sealed class LoopbackListener : IDisposable
{
    private readonly Socket _listener;

    public LoopbackListener(IPAddress address)
    {
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(address, 0));
        _listener.Listen(512);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }

    public async Task<Socket> AcceptAsync()
    {
        Socket socket = await _listener.AcceptAsync(TestTimeouts.Token());
        socket.NoDelay = true;
        return socket;
    }

    public void Dispose() => _listener.Dispose();
}
