using AwgProxy.Interop.Transport;

namespace AwgProxy.Interop.Tests.InMemory;

/// <summary>
/// One direction of an in-memory stream: a bounded ring buffer (the flow-control window) between one
/// writer and one reader, with the QUIC endings: FIN, RESET_STREAM (the reader fails with the code, buffered
/// data is dropped), STOP_SENDING (the writer fails with the code) and connection loss (both fail).
/// </summary>
internal sealed class InMemoryDirection
{
    private readonly object _lock = new();
    private readonly byte[] _ring;
    private int _head;
    private int _count;
    private bool _fin;
    private long? _resetCode;
    private long? _stopSendingCode;
    private Exception? _connectionError;
    private TaskCompletionSource? _readerWaiter;
    private TaskCompletionSource? _writerWaiter;

    public InMemoryDirection(int window)
    {
        _ring = new byte[window];
    }

    /// <summary>Total octets ever written (for tests).</summary>
    public long Written { get; private set; }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                ThrowIfWriteFailed();
                if (_fin || _resetCode is not null)
                {
                    throw new InvalidOperationException("Writes are already complete or aborted.");
                }

                if (data.IsEmpty)
                {
                    return;
                }

                int room = _ring.Length - _count;
                if (room > 0)
                {
                    int n = Math.Min(room, data.Length);
                    CopyIn(data.Span[..n]);
                    data = data[n..];
                    Written += n;
                    Signal(ref _readerWaiter);
                    continue;
                }

                _writerWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _writerWaiter.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_resetCode is { } code)
                {
                    throw new InteropStreamAbortedException(code);
                }

                if (_connectionError is not null)
                {
                    throw _connectionError;
                }

                if (_stopSendingCode is not null)
                {
                    throw new InvalidOperationException("Reads were aborted locally.");
                }

                if (_count > 0 || destination.IsEmpty)
                {
                    int n = Math.Min(_count, destination.Length);
                    CopyOut(destination.Span[..n]);
                    Signal(ref _writerWaiter);
                    return n;
                }

                if (_fin)
                {
                    return 0;
                }

                _readerWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _readerWaiter.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The writer's FIN.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            if (_resetCode is null)
            {
                _fin = true;
            }

            Signal(ref _readerWaiter);
        }
    }

    /// <summary>The writer's RESET_STREAM; false if the writer had already finished.</summary>
    public bool Reset(long code)
    {
        lock (_lock)
        {
            if (_fin || _resetCode is not null)
            {
                return false;
            }

            _resetCode = code;
            _count = 0;
            Signal(ref _readerWaiter);
            Signal(ref _writerWaiter);
            return true;
        }
    }

    /// <summary>The reader's STOP_SENDING.</summary>
    public void StopSending(long code)
    {
        lock (_lock)
        {
            _stopSendingCode ??= code;
            _count = 0;
            Signal(ref _writerWaiter);
            Signal(ref _readerWaiter);
        }
    }

    /// <summary>The connection is gone: both ends fail with <paramref name="error"/>.</summary>
    public void Fail(Exception error)
    {
        lock (_lock)
        {
            _connectionError ??= error;
            Signal(ref _writerWaiter);
            Signal(ref _readerWaiter);
        }
    }

    private void ThrowIfWriteFailed()
    {
        if (_stopSendingCode is { } code)
        {
            throw new InteropStreamAbortedException(code);
        }

        if (_connectionError is not null)
        {
            throw _connectionError;
        }
    }

    private void CopyIn(ReadOnlySpan<byte> data)
    {
        int tail = (_head + _count) % _ring.Length;
        int first = Math.Min(data.Length, _ring.Length - tail);
        data[..first].CopyTo(_ring.AsSpan(tail));
        data[first..].CopyTo(_ring);
        _count += data.Length;
    }

    private void CopyOut(Span<byte> destination)
    {
        int first = Math.Min(destination.Length, _ring.Length - _head);
        _ring.AsSpan(_head, first).CopyTo(destination);
        _ring.AsSpan(0, destination.Length - first).CopyTo(destination[first..]);
        _head = (_head + destination.Length) % _ring.Length;
        _count -= destination.Length;
    }

    private static void Signal(ref TaskCompletionSource? waiter)
    {
        waiter?.TrySetResult();
        waiter = null;
    }
}
