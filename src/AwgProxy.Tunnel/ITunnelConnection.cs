using System.Net;

namespace AwgProxy.Tunnel;

/// <summary>
/// An authenticated tunnel connection (one QUIC connection with ALPN <c>awgproxy/1</c>), shaped like
/// System.Net.Quic's <c>QuicConnection</c> so a thin adapter fits. The server accepts streams on it,
/// the client opens them.
/// </summary>
public interface ITunnelConnection : IAsyncDisposable
{
    /// <summary>The peer's address (logged at Debug only).</summary>
    EndPoint RemoteEndPoint { get; }

    /// <summary>
    /// The authenticated peer's name: on the server the client's configured name (used in logs,
    /// metrics and the per-client limits); on the client the server's name.
    /// </summary>
    string PeerIdentity { get; }

    /// <summary>
    /// Completes when the connection is closed by either side, by the idle timeout or by a
    /// transport error. Never faults.
    /// </summary>
    Task Closed { get; }

    /// <summary>
    /// Opens a bidirectional stream, waiting while the peer's stream limit is reached.
    /// Throws <see cref="TunnelConnectionClosedException"/> when the connection is closed.
    /// </summary>
    ValueTask<ITunnelStream> OpenStreamAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Accepts the next bidirectional stream the peer opened, or returns null once the connection
    /// is closed (the adapter turns <c>QuicError.ConnectionAborted</c> into null).
    /// </summary>
    ValueTask<ITunnelStream?> AcceptStreamAsync(CancellationToken cancellationToken = default);

    /// <summary>Closes the connection with an application error code (QUIC CONNECTION_CLOSE 0x1d).</summary>
    ValueTask CloseAsync(long errorCode, CancellationToken cancellationToken = default);

    /// <summary>
    /// Client: moves the connection to a new local socket (QUIC active migration, RFC 9000 section 9.2), e.g. after
    /// the machine's network changed; streams carry on. False when this connection cannot move (the server disabled
    /// active migration, the handshake is not confirmed, no spare connection ID, no socket could be bound, or the
    /// connection has ended): it is then unchanged. Connections that have no notion of a local socket return false.
    /// </summary>
    ValueTask<bool> MigrateAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(false);
}
