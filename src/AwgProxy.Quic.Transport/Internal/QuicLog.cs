using System.Net;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Quic.Transport.Internal;

/// <summary>
/// The transport's log messages. Event ids are stable (docs/quic-transport.md lists them). Connections are named by the
/// connection ID this side chose; nothing here carries keys, secrets or payload bytes.
/// </summary>
internal static partial class QuicLog
{
    [LoggerMessage(1, LogLevel.Information, "QUIC listener on {LocalEndPoint} (ALPN {Alpn}, Retry {RequireRetry})", EventName = "ListenerStarted")]
    public static partial void ListenerStarted(ILogger logger, EndPoint localEndPoint, string alpn, bool requireRetry);

    [LoggerMessage(2, LogLevel.Information, "QUIC listener on {LocalEndPoint} stopped; {ConnectionCount} connection(s) closed", EventName = "ListenerStopped")]
    public static partial void ListenerStopped(ILogger logger, EndPoint localEndPoint, int connectionCount);

    [LoggerMessage(3, LogLevel.Debug, "QUIC {Role} connection {ConnectionId} with {RemoteEndPoint} started", EventName = "ConnectionStarted")]
    public static partial void ConnectionStarted(ILogger logger, string role, string connectionId, EndPoint remoteEndPoint);

    // Messages at Information and above never carry a peer address (a user's IP address is personal data): the Debug
    // message ConnectionStarted (and PathChanged) ties the connection ID to the address.
    [LoggerMessage(4, LogLevel.Information,
        "QUIC {Role} connection {ConnectionId} established in {HandshakeMilliseconds:0.0} ms: ALPN {Alpn}, cipher {CipherSuite}, group {Group}",
        EventName = "HandshakeCompleted")]
    public static partial void HandshakeCompleted(ILogger logger, string role, string connectionId, double handshakeMilliseconds, string alpn, string cipherSuite, string group);

    [LoggerMessage(5, LogLevel.Information, "QUIC {Role} handshake {ConnectionId} failed after {ElapsedMilliseconds:0.0} ms: {Reason}", EventName = "HandshakeFailed")]
    public static partial void HandshakeFailed(ILogger logger, string role, string connectionId, double elapsedMilliseconds, string reason);

    [LoggerMessage(6, LogLevel.Information,
        "QUIC {Role} connection {ConnectionId} closed after {DurationSeconds:0.000} s: {Reason}; sent {BytesSent} B in {PacketsSent} packets, received {BytesReceived} B, {PacketsLost} packets lost, smoothed RTT {SmoothedRttMilliseconds:0.000} ms",
        EventName = "ConnectionClosed")]
    public static partial void ConnectionClosed(
        ILogger logger, string role, string connectionId, double durationSeconds, string reason,
        long bytesSent, long packetsSent, long bytesReceived, long packetsLost, double smoothedRttMilliseconds);

    [LoggerMessage(7, LogLevel.Debug, "Answered a datagram from {RemoteEndPoint} statelessly with {Response}", EventName = "StatelessResponse")]
    public static partial void StatelessResponse(ILogger logger, EndPoint remoteEndPoint, EndpointResponseKind response);

    [LoggerMessage(8, LogLevel.Debug, "Dropped a stateless {Response} for {RemoteEndPoint}: {Pending} responses already wait to be sent", EventName = "StatelessResponseDropped")]
    public static partial void StatelessResponseDropped(ILogger logger, EndPoint remoteEndPoint, EndpointResponseKind response, int pending);

    [LoggerMessage(9, LogLevel.Error, "The datagram path on {LocalEndPoint} failed while {Operation}; its {ConnectionCount} connection(s) are closed", EventName = "PathFailed")]
    public static partial void PathFailed(ILogger logger, Exception exception, EndPoint localEndPoint, string operation, int connectionCount);

    [LoggerMessage(10, LogLevel.Debug,
        "A new client from {RemoteEndPoint} was not admitted: {Handshaking} handshake(s) and {Queued} unaccepted connection(s) fill the backlog of {Backlog}",
        EventName = "ConnectionNotAdmitted")]
    public static partial void ConnectionNotAdmitted(ILogger logger, EndPoint remoteEndPoint, int handshaking, int queued, int backlog);

    [LoggerMessage(11, LogLevel.Warning, "QUIC connection {ConnectionId}: the peer opened stream {StreamId} while the accept queue was full; it was aborted", EventName = "InboundStreamRefused")]
    public static partial void InboundStreamRefused(ILogger logger, string connectionId, long streamId);

    [LoggerMessage(12, LogLevel.Debug, "Disposing the datagram path on {LocalEndPoint} failed", EventName = "PathDisposeFailed")]
    public static partial void PathDisposeFailed(ILogger logger, Exception exception, EndPoint localEndPoint);

    [LoggerMessage(13, LogLevel.Debug, "QUIC {Role} connection {ConnectionId}: the peer's address is now {RemoteEndPoint}", EventName = "PeerAddressChanged")]
    public static partial void PeerAddressChanged(ILogger logger, string role, string connectionId, EndPoint remoteEndPoint);

    [LoggerMessage(14, LogLevel.Debug, "QUIC client connection {ConnectionId} migrated from {OldLocalEndPoint} to {NewLocalEndPoint}", EventName = "Migrated")]
    public static partial void Migrated(ILogger logger, string connectionId, EndPoint oldLocalEndPoint, EndPoint newLocalEndPoint);
}
