namespace AwgProxy.Tunnel;

/// <summary>
/// One bidirectional QUIC stream of a tunnel connection: one proxied TCP connection.
/// A thin adapter over System.Net.Quic's <c>QuicStream</c> (or ours) implements it:
/// <c>ReadAsync</c>/<c>WriteAsync</c> forward, <c>CompleteWrites</c> and <c>Abort</c> map one to one, and a
/// <c>QuicException</c> with <c>QuicError.StreamAborted</c> becomes a
/// <see cref="TunnelStreamAbortedException"/> carrying its <c>ApplicationErrorCode</c>, while
/// <c>ConnectionAborted</c>/<c>ConnectionIdle</c> become a <see cref="TunnelConnectionClosedException"/>.
/// </summary>
public interface ITunnelStream : IDuplexStream
{
    /// <summary>The QUIC stream ID (used in logs only).</summary>
    long Id { get; }
}
