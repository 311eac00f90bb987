using AwgProxy.Interop.Transport;
using AwgProxy.Quic.Streams;

namespace AwgProxy.Interop.Tests.InMemory;

/// <summary>
/// An <see cref="InteropStream"/> over two <see cref="InMemoryDirection"/>s (one for a unidirectional
/// stream). Records the codes it aborted with so tests can check both sides' view of a reset.
/// </summary>
internal sealed class InMemoryInteropStream : InteropStream
{
    private readonly InMemoryDirection? _receive;
    private readonly InMemoryDirection? _send;
    private bool _writesDone;
    private bool _readsDone;

    public InMemoryInteropStream(long id, StreamType type, InMemoryDirection? receive, InMemoryDirection? send)
    {
        Id = id;
        Type = type;
        _receive = receive;
        _send = send;
    }

    public override long Id { get; }

    public override StreamType Type { get; }

    public override bool CanRead => _receive is not null;

    public override bool CanWrite => _send is not null;

    /// <summary>The code of our STOP_SENDING, if we sent one.</summary>
    public long? LocalReadAbortCode { get; private set; }

    /// <summary>The code of our RESET_STREAM, if we sent one.</summary>
    public long? LocalWriteAbortCode { get; private set; }

    public bool WritesCompleted => _writesDone && LocalWriteAbortCode is null;

    public bool IsDisposed { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        InMemoryDirection receive = _receive ?? throw new InvalidOperationException("A local unidirectional stream cannot be read.");
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        int read = await receive.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read == 0 && !buffer.IsEmpty)
        {
            _readsDone = true;
        }

        return read;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        InMemoryDirection send = _send ?? throw new InvalidOperationException("A peer's unidirectional stream cannot be written.");
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return send.WriteAsync(buffer, cancellationToken);
    }

    public override void CompleteWrites()
    {
        InMemoryDirection send = _send ?? throw new InvalidOperationException("A peer's unidirectional stream cannot be written.");
        if (!_writesDone)
        {
            _writesDone = true;
            send.Finish();
        }
    }

    public override void Abort(InteropAbortDirection direction, long errorCode)
    {
        if ((direction & InteropAbortDirection.Write) != 0 && _send is not null && !_writesDone)
        {
            _writesDone = true;
            if (_send.Reset(errorCode))
            {
                LocalWriteAbortCode = errorCode;
            }
        }

        if ((direction & InteropAbortDirection.Read) != 0 && _receive is not null && !_readsDone)
        {
            _readsDone = true;
            LocalReadAbortCode = errorCode;
            _receive.StopSending(errorCode);
        }
    }

    /// <summary>The connection closed: every pending and later operation fails.</summary>
    public void ConnectionLost(Exception error)
    {
        _receive?.Fail(error);
        _send?.Fail(error);
    }

    public override ValueTask DisposeAsync()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !IsDisposed)
        {
            // Like System.Net.Quic: halves still open at disposal are aborted (code 0 here).
            Abort(InteropAbortDirection.Both, 0);
            IsDisposed = true;
        }

        base.Dispose(disposing);
    }
}
