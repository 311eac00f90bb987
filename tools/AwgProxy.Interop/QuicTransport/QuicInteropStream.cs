using AwgProxy.Interop.Transport;
using AwgProxy.Quic.Streams;
using AwgProxy.Quic.Transport;

namespace AwgProxy.Interop.QuicTransport;

/// <summary>
/// An <see cref="InteropStream"/> over a <see cref="QuicStream"/>: the peer's RESET_STREAM (on reads) and STOP_SENDING
/// (on writes) become <see cref="InteropStreamAbortedException"/> with the peer's code.
/// </summary>
internal sealed class QuicInteropStream(QuicStream stream) : InteropStream
{
    public override long Id => stream.Id;

    public override StreamType Type => (StreamType)(stream.Id & 0x3);

    public override bool CanRead => stream.CanRead;

    public override bool CanWrite => stream.CanWrite;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (QuicException e) when (e.QuicError == QuicError.StreamAborted)
        {
            throw new InteropStreamAbortedException(e.ApplicationErrorCode ?? 0, e.Message);
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await stream.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (QuicException e) when (e.QuicError == QuicError.StreamAborted)
        {
            throw new InteropStreamAbortedException(e.ApplicationErrorCode ?? 0, e.Message);
        }
    }

    public override void CompleteWrites() => stream.CompleteWrites();

    public override void Abort(InteropAbortDirection direction, long errorCode) => stream.Abort((QuicAbortDirection)(int)direction, errorCode);

    public override ValueTask DisposeAsync() => stream.DisposeAsync();

    protected override void Dispose(bool disposing)
    {
        if (disposing) stream.Dispose();
        base.Dispose(disposing);
    }
}
