using System.Net.Sockets;

namespace AwgProxy.Socks5.Tests.Infrastructure;

/// <summary>An <see cref="ISocks5Upstream"/> over a connected TCP socket: half-close is shutdown(SEND), abort is RST.</summary>
internal sealed class SocketUpstream : ISocks5Upstream
{
    private readonly Socket _socket;

    public SocketUpstream(Socket socket)
    {
        _socket = socket;
        Stream = new NetworkStream(socket, ownsSocket: false);
    }

    public Stream Stream { get; }

    private int _abortCount;

    /// <summary>How often <see cref="Abort"/> was called.</summary>
    public int AbortCount => Volatile.Read(ref _abortCount);

    public ValueTask CompleteWritesAsync(CancellationToken cancellationToken)
    {
        _socket.Shutdown(SocketShutdown.Send);
        return ValueTask.CompletedTask;
    }

    public void Abort()
    {
        Interlocked.Increment(ref _abortCount);
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync();
        _socket.Dispose();
    }
}
