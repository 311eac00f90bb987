using System.Runtime.CompilerServices;

namespace AwgProxy.Tunnel;

/// <summary>
/// Forwards to a tunnel stream and reports the bytes that go through it (for live byte counters)
/// and its disposal (for active-session gauges).
/// </summary>
internal sealed class MeteredTunnelStream : ITunnelStream
{
    private readonly ITunnelStream _inner;
    private readonly Action<int> _onRead;
    private readonly Action<int> _onWritten;
    private readonly Action? _onDisposed;
    private int _disposed;

    public MeteredTunnelStream(ITunnelStream inner, Action<int> onRead, Action<int> onWritten, Action? onDisposed = null)
    {
        _inner = inner;
        _onRead = onRead;
        _onWritten = onWritten;
        _onDisposed = onDisposed;
    }

    public long Id => _inner.Id;

    // Pooled builders: these run per read and per write and must not allocate.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read > 0)
        {
            _onRead(read);
        }

        return read;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (!buffer.IsEmpty)
        {
            _onWritten(buffer.Length);
        }
    }

    public void CompleteWrites() => _inner.CompleteWrites();

    public void Abort(TunnelAbortDirection direction, long errorCode) => _inner.Abort(direction, errorCode);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _onDisposed?.Invoke();
        }
    }
}
