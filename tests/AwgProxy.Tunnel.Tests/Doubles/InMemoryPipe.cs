namespace AwgProxy.Tunnel.Tests.Doubles;

/// <summary>
/// One direction of an in-memory QUIC-like stream: a bounded byte buffer with FIN, RESET_STREAM
/// (writer abort), STOP_SENDING (reader abort) and connection close, and QUIC's semantics for each:
/// a reset discards buffered data at once, a stop makes pending and later writes fail with the
/// reader's code, a connection close fails everything.
/// </summary>
internal sealed class InMemoryPipe
{
    private readonly Lock _lock = new();
    private readonly byte[] _ring;
    private int _head;
    private int _count;
    private bool _fin;
    private bool _finRead;
    private long? _resetCode;
    private long? _stopCode;
    private bool _readAbortedLocally;
    private bool _writeAbortedLocally;
    private bool _connectionClosed;
    private long? _connectionCloseCode;
    private TaskCompletionSource _changed = New();

    public InMemoryPipe(int capacity)
    {
        _ring = new byte[capacity];
    }

    /// <summary>True once the reader saw the end of the stream, or the stream was reset/stopped.</summary>
    public bool ReadSideDone
    {
        get
        {
            lock (_lock)
            {
                return _finRead || _resetCode is not null || _readAbortedLocally || _connectionClosed;
            }
        }
    }

    public bool WriteSideDone
    {
        get
        {
            lock (_lock)
            {
                return _fin || _writeAbortedLocally || _stopCode is not null || _connectionClosed;
            }
        }
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_readAbortedLocally)
                {
                    throw new IOException("The read side was aborted locally.");
                }

                if (_resetCode is { } reset)
                {
                    throw new TunnelStreamAbortedException(reset);
                }

                if (_connectionClosed)
                {
                    throw _connectionCloseCode is { } c ? new TunnelConnectionClosedException(c) : new TunnelConnectionClosedException();
                }

                if (_count > 0)
                {
                    int n = Math.Min(_count, buffer.Length);
                    for (int i = 0; i < n; i++)
                    {
                        buffer.Span[i] = _ring[(_head + i) % _ring.Length];
                    }

                    _head = (_head + n) % _ring.Length;
                    _count -= n;
                    if (n > 0)
                    {
                        Signal();
                    }

                    return n;
                }

                if (_fin)
                {
                    _finRead = buffer.Length > 0 || _finRead;
                    return 0;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_writeAbortedLocally)
                {
                    throw new IOException("The write side was aborted locally.");
                }

                if (_fin)
                {
                    throw new InvalidOperationException("Writes were completed.");
                }

                if (_stopCode is { } stop)
                {
                    throw new TunnelStreamAbortedException(stop);
                }

                if (_connectionClosed)
                {
                    throw _connectionCloseCode is { } c ? new TunnelConnectionClosedException(c) : new TunnelConnectionClosedException();
                }

                int space = _ring.Length - _count;
                int n = Math.Min(space, buffer.Length);
                for (int i = 0; i < n; i++)
                {
                    _ring[(_head + _count + i) % _ring.Length] = buffer.Span[i];
                }

                _count += n;
                buffer = buffer[n..];
                if (n > 0)
                {
                    Signal();
                }

                if (buffer.IsEmpty)
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void CompleteWrites()
    {
        lock (_lock)
        {
            if (_writeAbortedLocally || _connectionClosed)
            {
                return;
            }

            _fin = true;
            Signal();
        }
    }

    /// <summary>RESET_STREAM: the reader fails at once, buffered data is discarded. Ignored after FIN (all data is delivered instantly here).</summary>
    public void AbortWrite(long errorCode)
    {
        lock (_lock)
        {
            if (_writeAbortedLocally || _fin)
            {
                _writeAbortedLocally = true;
                Signal();
                return;
            }

            _writeAbortedLocally = true;
            _resetCode = errorCode;
            _count = 0;
            Signal();
        }
    }

    /// <summary>STOP_SENDING: the writer fails with the code; buffered data is discarded.</summary>
    public void AbortRead(long errorCode)
    {
        lock (_lock)
        {
            if (_readAbortedLocally)
            {
                return;
            }

            _readAbortedLocally = true;
            _stopCode ??= errorCode;
            _count = 0;
            Signal();
        }
    }

    public void CloseConnection(long? errorCode)
    {
        lock (_lock)
        {
            if (_connectionClosed)
            {
                return;
            }

            _connectionClosed = true;
            _connectionCloseCode = errorCode;
            Signal();
        }
    }

    private void Signal()
    {
        TaskCompletionSource old = _changed;
        _changed = New();
        old.TrySetResult();
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
