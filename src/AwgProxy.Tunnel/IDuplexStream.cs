namespace AwgProxy.Tunnel;

/// <summary>
/// A bidirectional byte stream with a graceful half-close and an abortive close: a QUIC stream or a
/// TCP connection. The relay moves bytes between two of these.
/// </summary>
/// <remarks>
/// Contract, shaped like System.Net.Quic's <c>QuicStream</c>:
/// <list type="bullet">
/// <item><see cref="ReadAsync"/> returns 0 at the end of the stream (the peer's FIN). A zero-length
/// buffer waits until data is available or the stream ends, without consuming anything.</item>
/// <item><see cref="ReadAsync"/> throws <see cref="TunnelStreamAbortedException"/> when the peer aborted
/// its sending side (RESET_STREAM) and <see cref="WriteAsync"/> throws it when the peer stopped
/// reading (STOP_SENDING); both carry the peer's error code. Other failures (the connection closed,
/// a socket error) surface as <see cref="IOException"/>.</item>
/// <item>After a local <see cref="Abort"/>, pending and later operations on the aborted side fail.</item>
/// <item>One reader and one writer may run at the same time; each side is used by one task.</item>
/// <item><see cref="IAsyncDisposable.DisposeAsync"/> aborts any side not yet completed or aborted,
/// with error code 0.</item>
/// </list>
/// </remarks>
public interface IDuplexStream : IAsyncDisposable
{
    /// <summary>Reads into <paramref name="buffer"/>; 0 means the peer finished sending.</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    /// <summary>Writes all of <paramref name="buffer"/>, waiting for flow control as needed.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default);

    /// <summary>Gracefully ends the sending side (QUIC FIN, TCP shutdown(SHUT_WR)). Idempotent.</summary>
    void CompleteWrites();

    /// <summary>
    /// Abortively closes one or both sides with an application error code (QUIC RESET_STREAM /
    /// STOP_SENDING; a TCP connection is reset and the code is not transmitted). Idempotent.
    /// </summary>
    void Abort(TunnelAbortDirection direction, long errorCode);
}
