using System.Runtime.CompilerServices;
using AwgProxy.Quic.Transport;

namespace AwgProxy.Tunnel.Quic;

/// <summary>
/// <see cref="ITunnelStream"/> over one bidirectional <see cref="QuicStream"/>. Reads and writes forward
/// (zero-byte reads wait for data, 0 is the peer's FIN); <see cref="CompleteWrites"/> and <see cref="Abort"/>
/// map one to one; exceptions are mapped by <see cref="QuicExceptionMapping"/>. Disposing resets a
/// writing side that was neither completed nor aborted (code 0), so that an interrupted transfer is
/// never mistaken for a complete one, and stops reading (the QUIC stream's own disposal).
/// </summary>
public sealed class QuicTunnelStream : ITunnelStream
{
    private readonly QuicStream _stream;
    private readonly QuicConnection _connection;
    private int _writesEnded;
    private int _disposed;

    /// <summary>Wraps <paramref name="stream"/>, a stream of <paramref name="connection"/>; the adapter owns it.</summary>
    public QuicTunnelStream(QuicStream stream, QuicConnection connection)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(connection);
        _stream = stream;
        _connection = connection;
    }

    /// <inheritdoc/>
    public long Id => _stream.Id;

    /// <inheritdoc/>
    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ValueTask<int> read;
        try
        {
            read = _stream.ReadAsync(buffer, cancellationToken);
        }
        catch (QuicException e)
        {
            throw QuicExceptionMapping.Map(e, _connection);
        }

        return read.IsCompletedSuccessfully ? read : AwaitReadAsync(read);
    }

    /// <inheritdoc/>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ValueTask write;
        try
        {
            write = _stream.WriteAsync(buffer, cancellationToken);
        }
        catch (QuicException e)
        {
            throw QuicExceptionMapping.Map(e, _connection);
        }

        return write.IsCompletedSuccessfully ? write : AwaitWriteAsync(write);
    }

    /// <inheritdoc/>
    public void CompleteWrites()
    {
        Volatile.Write(ref _writesEnded, 1);
        try
        {
            _stream.CompleteWrites();
        }
        catch (QuicException)
        {
            // The writing side already ended (the peer stopped reading, or the connection closed): nothing to finish.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <inheritdoc/>
    public void Abort(TunnelAbortDirection direction, long errorCode)
    {
        QuicAbortDirection quicDirection = direction switch
        {
            TunnelAbortDirection.Read => QuicAbortDirection.Read,
            TunnelAbortDirection.Write => QuicAbortDirection.Write,
            _ => QuicAbortDirection.Both,
        };
        if ((direction & TunnelAbortDirection.Write) != 0)
        {
            Volatile.Write(ref _writesEnded, 1);
        }

        try
        {
            _stream.Abort(quicDirection, errorCode);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (Volatile.Read(ref _writesEnded) == 0)
        {
            Abort(TunnelAbortDirection.Write, 0);
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override string ToString() => $"QuicTunnelStream {Id}";

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> AwaitReadAsync(ValueTask<int> pending)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (QuicException e)
        {
            throw QuicExceptionMapping.Map(e, _connection);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitWriteAsync(ValueTask pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (QuicException e)
        {
            throw QuicExceptionMapping.Map(e, _connection);
        }
    }
}
