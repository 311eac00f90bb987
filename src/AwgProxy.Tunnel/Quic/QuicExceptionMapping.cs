using AwgProxy.Quic.Transport;

namespace AwgProxy.Tunnel.Quic;

/// <summary>
/// Turns the QUIC driver's exceptions into the tunnel's (docs/protocol.md section 11): a peer's
/// RESET_STREAM or STOP_SENDING becomes <see cref="TunnelStreamAbortedException"/> with its code; the end
/// of the connection (closed by the peer, by the idle timeout, by a transport error or locally)
/// becomes <see cref="TunnelConnectionClosedException"/>; a local abort of the stream stays what it is.
/// </summary>
internal static class QuicExceptionMapping
{
    /// <summary>The tunnel exception for <paramref name="exception"/> thrown by an operation on a stream of <paramref name="connection"/>.</summary>
    public static IOException Map(QuicException exception, QuicConnection connection)
    {
        switch (exception.QuicError)
        {
            case QuicError.StreamAborted:
                return new TunnelStreamAbortedException(exception.ApplicationErrorCode ?? 0, exception.Message, exception);
            case QuicError.OperationAborted when !connection.Closed.IsCompleted:
                // This side aborted the stream (or cancelled a write): not a connection failure.
                return exception;
            default:
                return Closed(exception);
        }
    }

    /// <summary>The connection has ended: <see cref="TunnelConnectionClosedException"/> carrying the application close code, if any.</summary>
    public static TunnelConnectionClosedException Closed(QuicException exception) =>
        exception.ApplicationErrorCode is { } code && exception.QuicError == QuicError.ConnectionAborted
            ? new TunnelConnectionClosedException(code)
            : new TunnelConnectionClosedException(exception.Message, exception);
}
