using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AwgProxy.Socks5.Tests.Infrastructure;

/// <summary>A tiny HTTP/1.1 server on loopback that answers every request with one fixed body.</summary>
internal sealed class HttpResponder : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly byte[] _response;

    public HttpResponder(IPAddress address, string body)
    {
        byte[] bodyBytes = Encoding.UTF8.GetBytes(body);
        _response =
        [
            .. Encoding.ASCII.GetBytes(
                $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {bodyBytes.Length}\r\nConnection: close\r\n\r\n"),
            .. bodyBytes,
        ];
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(address, 0));
        _listener.Listen(16);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync();
    }

    public IPEndPoint EndPoint { get; }

    public int RequestCount;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _acceptLoop.WaitAsync(TestTimeouts.Operation);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using Socket socket = await _listener.AcceptAsync(_stop.Token);
                await ServeAsync(socket);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                // A client that went away; serve the next one.
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        // Read the request head: everything up to the blank line.
        var head = new List<byte>();
        byte[] buffer = new byte[4096];
        while (!EndsWithBlankLine(head))
        {
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            if (read == 0)
            {
                return;
            }

            head.AddRange(buffer.AsSpan(0, read));
        }

        Interlocked.Increment(ref RequestCount);
        await socket.SendAsync(_response, SocketFlags.None, _stop.Token);
        socket.Shutdown(SocketShutdown.Send);
    }

    private static bool EndsWithBlankLine(List<byte> bytes) =>
        bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n';
}
