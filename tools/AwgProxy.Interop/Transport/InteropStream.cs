using AwgProxy.Quic.Streams;

namespace AwgProxy.Interop.Transport;

/// <summary>
/// One QUIC stream as the interop protocols use it (the shape of System.Net.Quic's QuicStream).
/// <list type="bullet">
/// <item><see cref="ReadAsync(Memory{byte}, CancellationToken)"/> returns 0 once the peer's FIN has been
/// read, and throws <see cref="InteropStreamAbortedException"/> (carrying the code) after the peer's
/// RESET_STREAM.</item>
/// <item><see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/> throws
/// <see cref="InteropStreamAbortedException"/> after the peer's STOP_SENDING.</item>
/// <item><see cref="CompleteWrites"/> sends FIN; <see cref="Abort"/> sends RESET_STREAM and/or
/// STOP_SENDING.</item>
/// </list>
/// A unidirectional stream can only be written by its initiator and only be read by the peer. Disposing a
/// stream whose writes were not completed aborts them; the protocols here always complete or abort
/// explicitly first.
/// </summary>
public abstract class InteropStream : Stream
{
    /// <summary>The QUIC stream ID (RFC 9000 section 2.1).</summary>
    public abstract long Id { get; }

    /// <summary>Direction and initiator, as encoded in the two low bits of <see cref="Id"/>.</summary>
    public abstract StreamType Type { get; }

    /// <summary>Ends the sending half gracefully: FIN after everything written so far.</summary>
    public abstract void CompleteWrites();

    /// <summary>
    /// Abandons one or both halves with <paramref name="errorCode"/>: <see cref="InteropAbortDirection.Write"/>
    /// sends RESET_STREAM, <see cref="InteropAbortDirection.Read"/> sends STOP_SENDING. Aborting a half that is
    /// already closed does nothing.
    /// </summary>
    public abstract void Abort(InteropAbortDirection direction, long errorCode);

    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public abstract override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default);

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>QUIC streams send as soon as they can; there is nothing to flush.</summary>
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Synchronous reads are not used by the interop protocols; this blocks on the async path.</summary>
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Synchronous writes are not used by the interop protocols; this blocks on the async path.</summary>
    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
}
