using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Streams;
using AwgProxy.Quic.Transport.Internal;

namespace AwgProxy.Quic.Transport;

/// <summary>
/// One QUIC stream (the shape of System.Net.Quic's QuicStream).
/// <list type="bullet">
/// <item><see cref="ReadAsync(Memory{byte}, CancellationToken)"/> waits for data and returns 0 once the peer's FIN
/// has been read; after the peer's RESET_STREAM it throws <see cref="QuicException"/> with
/// <see cref="QuicError.StreamAborted"/> and the peer's code. A zero-byte read waits until data (or the end) is
/// there. Cancelling a pending read leaves the stream readable.</item>
/// <item><see cref="WriteAsync(ReadOnlyMemory{byte}, bool, CancellationToken)"/> completes once the core has taken
/// every byte into the stream's send buffer (it waits while the buffer is full: back-pressure); after the peer's
/// STOP_SENDING it throws <see cref="QuicError.StreamAborted"/> with the peer's code. Cancelling a pending write
/// aborts the writing side with <see cref="QuicConnectionOptions.DefaultStreamErrorCode"/>, as System.Net.Quic
/// does (part of the buffer may already be on its way).</item>
/// <item>Once the connection ends, pending and later operations throw the connection's <see cref="QuicException"/>.</item>
/// </list>
/// One read and one write may be pending at a time; they may run concurrently with each other.
/// </summary>
public sealed class QuicStream : Stream
{
    private static readonly Action<object?, CancellationToken> s_cancelRead = static (state, token) => ((QuicStream)state!).CancelRead(token);
    private static readonly Action<object?, CancellationToken> s_cancelWrite = static (state, token) => ((QuicStream)state!).CancelWrite(token);

    private readonly QuicConnection _connection;
    private readonly EndpointDriver _driver;
    private readonly ulong _id;
    private readonly AsyncWaiter<int> _readWaiter = new();
    private readonly AsyncWaiter<int> _writeWaiter = new();
    private readonly TaskCompletionSource _readsClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _writesClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Memory<byte> _pendingRead;
    private ReadOnlyMemory<byte> _pendingWrite;
    private bool _pendingFin;
    private bool _readsDone;
    private Exception? _readError;
    private bool _writesCompleted;
    private Exception? _writeError;
    private bool _disposed;

    internal QuicStream(QuicConnection connection, ulong id)
    {
        _connection = connection;
        _driver = connection.Driver;
        _id = id;
        var streamId = new StreamId(id);
        StreamInitiator local = connection.Core.IsServer ? StreamInitiator.Server : StreamInitiator.Client;
        Type = streamId.Direction == StreamDirection.Bidirectional ? QuicStreamType.Bidirectional : QuicStreamType.Unidirectional;
        CanRead = streamId.HasReceivePart(local);
        CanWrite = streamId.HasSendPart(local);
        if (!CanRead) _readsClosed.TrySetResult();
        if (!CanWrite) _writesClosed.TrySetResult();
    }

    /// <summary>The QUIC stream ID (RFC 9000 section 2.1).</summary>
    public long Id => (long)_id;

    public QuicStreamType Type { get; }

    /// <summary>Whether this side reads the stream: every bidirectional stream, and unidirectional ones the peer opened.</summary>
    public override bool CanRead { get; }

    /// <summary>Whether this side writes the stream: every bidirectional stream, and unidirectional ones it opened.</summary>
    public override bool CanWrite { get; }

    public override bool CanSeek => false;

    public override bool CanTimeout => false;

    /// <summary>
    /// Completes when the reading side is done: successfully once the FIN was read; with an exception after the peer's
    /// RESET_STREAM, a local <see cref="Abort"/> or the end of the connection.
    /// </summary>
    public Task ReadsClosed => _readsClosed.Task;

    /// <summary>
    /// Completes when the writing side is done: successfully once the peer has acknowledged everything up to the FIN;
    /// with an exception after the peer's STOP_SENDING, a local <see cref="Abort"/> or the end of the connection.
    /// </summary>
    public Task WritesClosed => _writesClosed.Task;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    private Connection Core => _connection.Core;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!CanRead) throw new InvalidOperationException($"Stream {Id} cannot be read: it is a unidirectional stream this side opened.");
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<int>(cancellationToken);
        ValueTask<int> pending = default;
        int result = 0;
        Exception? error = null;
        bool completed;
        lock (_driver.Lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_readWaiter.IsArmed) throw new InvalidOperationException($"Another read is pending on stream {Id}.");
            completed = TryReadLocked(buffer.Span, out result, out error);
            if (!completed)
            {
                _pendingRead = buffer;
                pending = _readWaiter.Arm();
            }
        }

        Wakes.Run();
        if (completed)
        {
            if (result > 0) _driver.Pump();
            return error is null ? new ValueTask<int>(result) : ValueTask.FromException<int>(error);
        }

        _readWaiter.RegisterCancellation(cancellationToken, s_cancelRead, this);
        return pending;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        WriteAsync(buffer, completeWrites: false, cancellationToken);

    /// <summary>Writes <paramref name="buffer"/> and, when <paramref name="completeWrites"/> is set, the FIN after it.</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, bool completeWrites, CancellationToken cancellationToken = default)
    {
        if (!CanWrite) throw new InvalidOperationException($"Stream {Id} cannot be written: it is a unidirectional stream the peer opened.");
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        ValueTask pending = default;
        Exception? error = null;
        bool completed = true;
        lock (_driver.Lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_writeWaiter.IsArmed) throw new InvalidOperationException($"Another write is pending on stream {Id}.");
            if (_writeError is not null)
            {
                error = _writeError;
            }
            else if (_writesCompleted)
            {
                error = new InvalidOperationException($"Writes on stream {Id} were completed; nothing more can be written.");
            }
            else if (_connection.IsCoreGone)
            {
                error = ConnectionGone();
            }
            else
            {
                int written = buffer.IsEmpty ? 0 : Core.StreamWrite(_id, buffer.Span);
                if (written > 0) _driver.MarkDirty(_connection);
                if (written == buffer.Length)
                {
                    if (completeWrites) FinishLocked();
                }
                else
                {
                    _pendingWrite = buffer[written..];
                    _pendingFin = completeWrites;
                    pending = _writeWaiter.ArmWithoutResult();
                    completed = false;
                }
            }
        }

        Wakes.Run();
        _driver.Pump();
        if (error is not null) return ValueTask.FromException(error);
        if (completed) return ValueTask.CompletedTask;
        _writeWaiter.RegisterCancellation(cancellationToken, s_cancelWrite, this);
        return pending;
    }

    /// <summary>Ends the writing side gracefully: FIN after everything written so far (after a pending write, if any).</summary>
    public void CompleteWrites()
    {
        lock (_driver.Lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!CanWrite || _writesCompleted || _writeError is not null || _connection.IsCoreGone) return;
            if (_writeWaiter.IsArmed) _pendingFin = true;
            else FinishLocked();
        }

        _driver.Pump();
    }

    /// <summary>
    /// Abandons one or both sides with <paramref name="errorCode"/>: <see cref="QuicAbortDirection.Read"/> sends
    /// STOP_SENDING, <see cref="QuicAbortDirection.Write"/> RESET_STREAM. Pending operations on an aborted side fail
    /// with <see cref="QuicError.OperationAborted"/>. Aborting a side that is already closed does nothing.
    /// </summary>
    public void Abort(QuicAbortDirection direction, long errorCode)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(errorCode);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(errorCode, (long)Coding.VarInt.MaxValue);
        lock (_driver.Lock)
        {
            if ((direction & QuicAbortDirection.Read) != 0) AbortReadLocked(errorCode);
            if ((direction & QuicAbortDirection.Write) != 0) AbortWriteLocked(errorCode);
        }

        Wakes.Run();
        _driver.Pump();
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>
    /// Completes writes (FIN) if they were neither completed nor aborted, and aborts reads with
    /// <see cref="QuicConnectionOptions.DefaultStreamErrorCode"/> (STOP_SENDING) if the FIN was not read, as
    /// System.Net.Quic does. Does not wait for the peer's acknowledgment (<see cref="WritesClosed"/> tells).
    /// </summary>
    public override ValueTask DisposeAsync()
    {
        DisposeCore();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"QuicStream {Id} ({Type})";

    protected override void Dispose(bool disposing)
    {
        if (disposing) DisposeCore();
        base.Dispose(disposing);
    }

    private void DisposeCore()
    {
        lock (_driver.Lock)
        {
            if (_disposed) return;
            _disposed = true;
            long code = _connection.DefaultStreamErrorCode;
            if (CanRead && !_readsDone && _readError is null) AbortReadLocked(code);
            if (CanWrite && !_writesCompleted && _writeError is null)
            {
                if (_writeWaiter.IsArmed) AbortWriteLocked(code);
                else if (!_connection.IsCoreGone) FinishLocked();
            }

            var disposed = new ObjectDisposedException(GetType().FullName, $"Stream {Id} was disposed.");
            if (_readWaiter.TryDisarm(disposed)) Wakes.Add(_readWaiter);
            if (_writeWaiter.TryDisarm(disposed)) Wakes.Add(_writeWaiter);
            _pendingRead = default;
            _pendingWrite = default;
            _connection.RemoveStream(this);
        }

        Wakes.Run();
        _driver.Pump();
    }

    // ---- Under the driver's lock ----

    /// <summary>Reads what is there; false when the read must wait.</summary>
    private bool TryReadLocked(Span<byte> buffer, out int result, out Exception? error)
    {
        result = 0;
        error = null;
        if (_readError is not null)
        {
            error = _readError;
            return true;
        }

        if (_readsDone) return true;
        if (_connection.IsCoreGone)
        {
            error = ConnectionGone();
            return true;
        }

        int read = Core.StreamRead(_id, buffer, out bool finished);
        if (read > 0) _driver.MarkDirty(_connection);
        if (finished) MarkReadsFinished();
        if (read > 0 || finished)
        {
            result = read;
            return true;
        }

        // A zero-byte read completes once data is there.
        return buffer.IsEmpty && Core.GetStreamReadableBytes(_id) > 0;
    }

    internal void OnReadable()
    {
        if (!_readWaiter.IsArmed) return;
        if (!TryReadLocked(_pendingRead.Span, out int result, out Exception? error)) return;
        if (error is null) _readWaiter.TryDisarm(result);
        else _readWaiter.TryDisarm(error);
        _pendingRead = default;
        Wakes.Add(_readWaiter);
    }

    internal void OnWritable()
    {
        if (!_writeWaiter.IsArmed || _connection.IsCoreGone) return;
        int written = Core.StreamWrite(_id, _pendingWrite.Span);
        if (written > 0) _driver.MarkDirty(_connection);
        _pendingWrite = _pendingWrite[written..];
        if (!_pendingWrite.IsEmpty) return;
        if (_pendingFin) FinishLocked();
        _writeWaiter.TryDisarm(0);
        Wakes.Add(_writeWaiter);
    }

    internal void OnPeerReset(long errorCode)
    {
        if (_readsDone || _readError is not null) return;
        FailReads(new QuicException(QuicError.StreamAborted, errorCode, $"The peer aborted its side of stream {Id} with code {errorCode} (RESET_STREAM)."));
    }

    internal void OnPeerStopSending(long errorCode)
    {
        if (_writeError is not null || _writesClosed.Task.IsCompleted) return;
        FailWrites(new QuicException(QuicError.StreamAborted, errorCode, $"The peer stopped reading stream {Id} with code {errorCode} (STOP_SENDING)."));
    }

    internal void OnConnectionClosed(QuicException error)
    {
        if (!_readsDone && _readError is null) FailReads(error);
        if (_writeError is null && !_writesClosed.Task.IsCompleted) FailWrites(error);
    }

    /// <summary>The peer acknowledged everything up to the FIN (the core's StreamFinishAcknowledged).</summary>
    internal void OnFinishAcknowledged()
    {
        if (_writesClosed.TrySetResult()) ForgetIfDone();
    }

    private void FinishLocked()
    {
        _writesCompleted = true;
        if (_connection.IsCoreGone || _connection.CloseReason is not null) return;
        Core.StreamFinish(_id);
        _driver.MarkDirty(_connection);
        _connection.TrackFinishing(this);
    }

    private void MarkReadsFinished()
    {
        _readsDone = true;
        _readsClosed.TrySetResult();
        ForgetIfDone();
    }

    /// <summary>Both sides are over: no event can matter any more, so the connection stops tracking the stream.</summary>
    private void ForgetIfDone()
    {
        if (_readsClosed.Task.IsCompleted && _writesClosed.Task.IsCompleted && _connection.CloseReason is null)
        {
            _connection.RemoveStream(this);
        }
    }

    private void AbortReadLocked(long errorCode)
    {
        if (!CanRead || _readsDone || _readError is not null) return;
        if (!_connection.IsCoreGone && _connection.CloseReason is null)
        {
            Core.StreamStopSending(_id, (ulong)errorCode);
            _driver.MarkDirty(_connection);
        }

        FailReads(new QuicException(QuicError.OperationAborted, null, $"Reading stream {Id} was aborted locally."));
    }

    private void AbortWriteLocked(long errorCode)
    {
        if (!CanWrite || _writeError is not null || _writesClosed.Task.IsCompleted) return;
        if (!_connection.IsCoreGone && _connection.CloseReason is null)
        {
            Core.StreamReset(_id, (ulong)errorCode);
            _driver.MarkDirty(_connection);
        }

        FailWrites(new QuicException(QuicError.OperationAborted, null, $"Writing stream {Id} was aborted locally."));
    }

    private void FailReads(Exception error)
    {
        _readError = error;
        if (_readsClosed.TrySetException(error)) _ = _readsClosed.Task.Exception;
        if (_readWaiter.TryDisarm(error))
        {
            _pendingRead = default;
            Wakes.Add(_readWaiter);
        }

        ForgetIfDone();
    }

    private void FailWrites(Exception error)
    {
        _writeError = error;
        _connection.StopTrackingFinishing(this);
        if (_writesClosed.TrySetException(error)) _ = _writesClosed.Task.Exception;
        if (_writeWaiter.TryDisarm(error))
        {
            _pendingWrite = default;
            Wakes.Add(_writeWaiter);
        }

        ForgetIfDone();
    }

    private Exception ConnectionGone() =>
        (_connection.CloseReason ?? new QuicCloseReason(QuicError.OperationAborted, true, null, null, "The connection was closed.")).ToException();

    private void CancelRead(CancellationToken token)
    {
        lock (_driver.Lock)
        {
            if (_readWaiter.TryDisarm(new OperationCanceledException(token)))
            {
                _pendingRead = default;
                Wakes.Add(_readWaiter);
            }
        }

        Wakes.Run();
    }

    private void CancelWrite(CancellationToken token)
    {
        lock (_driver.Lock)
        {
            if (_writeWaiter.TryDisarm(new OperationCanceledException(token)))
            {
                _pendingWrite = default;
                Wakes.Add(_writeWaiter);
                AbortWriteLocked(_connection.DefaultStreamErrorCode);
            }
        }

        Wakes.Run();
        _driver.Pump();
    }
}
