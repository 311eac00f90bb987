using System.Net.Sockets;

namespace AwgProxy.Tunnel.Relay;

/// <summary>
/// A connected TCP socket as an <see cref="IDuplexStream"/>: <see cref="CompleteWrites"/> is
/// shutdown(SHUT_WR) (a FIN), <see cref="Abort"/> closes with SO_LINGER 0 (an RST; TCP carries no
/// error code). Owns the socket.
/// </summary>
public sealed class SocketDuplexStream : IDuplexStream
{
    private readonly Socket _socket;
    private int _writesCompleted;
    private int _closed;

    public SocketDuplexStream(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket;
    }

    /// <summary>The socket (for endpoints and options; do not read or write it directly).</summary>
    public Socket Socket => _socket;

    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            int sent = await _socket.SendAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            buffer = buffer[sent..];
        }
    }

    public void CompleteWrites()
    {
        if (Interlocked.Exchange(ref _writesCompleted, 1) != 0 || Volatile.Read(ref _closed) != 0)
        {
            return;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The connection is already gone; the reader will see it.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Resets the connection (both directions: TCP has no half-abort).</summary>
    public void Abort(TunnelAbortDirection direction, long errorCode)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
    }

    /// <summary>Closes the socket (gracefully, unless it was aborted).</summary>
    public ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _closed, 1);
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
