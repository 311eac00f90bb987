using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace AwgProxy.Tunnel.Tests.Doubles;

/// <summary>A real TCP listener on loopback whose accepted sockets a test takes one by one.</summary>
internal sealed class TcpTestServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Channel<Socket> _accepted = Channel.CreateUnbounded<Socket>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<Socket> _all = [];

    private TcpTestServer(IPAddress address)
    {
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(address, 0));
        _listener.Listen(512);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _loop = AcceptLoopAsync();
    }

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    public static TcpTestServer Start(IPAddress? address = null) => new(address ?? IPAddress.Loopback);

    /// <summary>A loopback port nothing listens on (bound, then closed).</summary>
    public static int GetClosedPort(IPAddress? address = null)
    {
        using var socket = new Socket((address ?? IPAddress.Loopback).AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address ?? IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public async Task<Socket> AcceptAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TestTimeouts.Default);
        return await _accepted.Reader.ReadAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        lock (_all)
        {
            foreach (Socket s in _all)
            {
                s.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket = await _listener.AcceptAsync(_stop.Token);
            lock (_all)
            {
                _all.Add(socket);
            }

            _accepted.Writer.TryWrite(socket);
        }
    }
}
