using System.Net;
using AwgProxy.Socks5.Protocol;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Socks5;

/// <summary>
/// Every log line of the SOCKS5 server. Never pass a password or relayed bytes here; user names and
/// destinations are fine.
/// </summary>
/// <remarks>
/// Event IDs are stable: never renumber, and never reuse a retired ID.
/// <code>
/// ID  Name                         Level        When
///  1  ListenerStarted              Information  a listening socket is bound
///  2  ListenerStopped              Information  a listening socket is closed
///  3  AcceptFailed                 Warning      accept() failed (the loop goes on)
///  4  SessionLimitReached          Warning      a connection is closed because MaxConcurrentSessions are active
///  5  ServerStopping               Information  StopAsync began
/// 10  SessionOpened                Debug        a connection was accepted
/// 11  SessionClosed                Information  a session ended: outcome, user, destination, bytes, duration
/// 12  SessionFaulted               Error        a session failed unexpectedly (a bug)
/// 13  SessionClosedBeforeRequest   Information  a session ended before a complete request: outcome, duration
/// 20  NoAcceptableMethod           Information  the greeting did not offer USERNAME/PASSWORD (answered X'FF')
/// 21  AuthenticationFailed         Warning      wrong user name or password (answered STATUS X'01')
/// 22  AuthenticationSucceeded      Debug        credentials accepted
/// 23  HandshakeTimedOut            Information  greeting, authentication and request not done within HandshakeTimeout
/// 24  ProtocolError                Information  malformed greeting, authentication or request
/// 25  ClientClosedDuringHandshake  Debug        the client closed or reset before the request was complete
/// 30  CommandNotSupported          Information  BIND, UDP ASSOCIATE without a handler, or an unknown CMD (answered X'07')
/// 31  RequestFailed                Information  the handler answered a failure code
/// 32  RequestTimedOut              Information  the handler did not finish within ConnectTimeout (answered X'06')
/// 33  HandlerFaulted               Warning      the handler threw (answered X'01', or the socket error's code)
/// 34  RequestSucceeded             Debug        the handler succeeded and the reply was sent
/// 40  RelayIdleTimeout             Information  no byte moved for IdleTimeout
/// 41  RelayAborted                 Debug        the relay ended abortively; says which side failed
/// 42  UpstreamDisposeFailed        Debug        disposing the upstream threw
/// </code>
/// </remarks>
internal static partial class Socks5Log
{
    [LoggerMessage(1, LogLevel.Information, "SOCKS5 server listening on {EndPoint}", EventName = "ListenerStarted")]
    public static partial void ListenerStarted(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(2, LogLevel.Information, "SOCKS5 server stopped listening on {EndPoint}", EventName = "ListenerStopped")]
    public static partial void ListenerStopped(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(3, LogLevel.Warning, "Accepting a connection on {EndPoint} failed", EventName = "AcceptFailed")]
    public static partial void AcceptFailed(ILogger logger, IPEndPoint endPoint, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "Connection from {ClientEndPoint} closed: {MaxConcurrentSessions} sessions are already active", EventName = "SessionLimitReached")]
    public static partial void SessionLimitReached(ILogger logger, EndPoint? clientEndPoint, int maxConcurrentSessions);

    [LoggerMessage(5, LogLevel.Information, "SOCKS5 server stopping with {ActiveSessions} active sessions", EventName = "ServerStopping")]
    public static partial void ServerStopping(ILogger logger, int activeSessions);

    [LoggerMessage(10, LogLevel.Debug, "Session {SessionId} opened from {ClientEndPoint} on {ServerEndPoint}", EventName = "SessionOpened")]
    public static partial void SessionOpened(ILogger logger, long sessionId, IPEndPoint clientEndPoint, IPEndPoint serverEndPoint);

    [LoggerMessage(11, LogLevel.Information,
        "Session {SessionId} from {ClientEndPoint} closed ({Outcome}): user {UserName}, {Command} {DestinationAddress}:{DestinationPort}, {BytesIn} bytes in, {BytesOut} bytes out, {DurationMs} ms",
        EventName = "SessionClosed")]
    public static partial void SessionClosed(
        ILogger logger,
        long sessionId,
        IPEndPoint clientEndPoint,
        Socks5SessionOutcome outcome,
        string? userName,
        Socks5Command? command,
        Socks5Address destinationAddress,
        ushort destinationPort,
        long bytesIn,
        long bytesOut,
        long durationMs);

    [LoggerMessage(13, LogLevel.Information,
        "Session {SessionId} from {ClientEndPoint} closed ({Outcome}) before a request, {DurationMs} ms",
        EventName = "SessionClosedBeforeRequest")]
    public static partial void SessionClosedBeforeRequest(ILogger logger, long sessionId, IPEndPoint clientEndPoint, Socks5SessionOutcome outcome, long durationMs);

    [LoggerMessage(12, LogLevel.Error, "Session {SessionId} failed unexpectedly", EventName = "SessionFaulted")]
    public static partial void SessionFaulted(ILogger logger, long sessionId, Exception exception);

    [LoggerMessage(20, LogLevel.Information, "Session {SessionId} from {ClientEndPoint} offered no acceptable authentication method ({MethodCount} offered; USERNAME/PASSWORD is required)", EventName = "NoAcceptableMethod")]
    public static partial void NoAcceptableMethod(ILogger logger, long sessionId, IPEndPoint clientEndPoint, int methodCount);

    [LoggerMessage(21, LogLevel.Warning, "Session {SessionId} from {ClientEndPoint}: authentication failed for user {UserName}", EventName = "AuthenticationFailed")]
    public static partial void AuthenticationFailed(ILogger logger, long sessionId, IPEndPoint clientEndPoint, string userName);

    [LoggerMessage(22, LogLevel.Debug, "Session {SessionId}: user {UserName} authenticated", EventName = "AuthenticationSucceeded")]
    public static partial void AuthenticationSucceeded(ILogger logger, long sessionId, string userName);

    [LoggerMessage(23, LogLevel.Information, "Session {SessionId} from {ClientEndPoint}: handshake not finished within {Timeout} (stage {Stage})", EventName = "HandshakeTimedOut")]
    public static partial void HandshakeTimedOut(ILogger logger, long sessionId, IPEndPoint clientEndPoint, TimeSpan timeout, Socks5HandshakeStage stage);

    [LoggerMessage(24, LogLevel.Information, "Session {SessionId} from {ClientEndPoint}: protocol error in stage {Stage}: {Reason}", EventName = "ProtocolError")]
    public static partial void ProtocolError(ILogger logger, long sessionId, IPEndPoint clientEndPoint, Socks5HandshakeStage stage, string reason);

    [LoggerMessage(25, LogLevel.Debug, "Session {SessionId}: client closed the connection in stage {Stage}", EventName = "ClientClosedDuringHandshake")]
    public static partial void ClientClosedDuringHandshake(ILogger logger, long sessionId, Socks5HandshakeStage stage, Exception? exception);

    [LoggerMessage(30, LogLevel.Information, "Session {SessionId}: command {Command} is not supported", EventName = "CommandNotSupported")]
    public static partial void CommandNotSupported(ILogger logger, long sessionId, Socks5Command command);

    [LoggerMessage(31, LogLevel.Information, "Session {SessionId}: {Command} {DestinationAddress}:{DestinationPort} failed with {ReplyCode}", EventName = "RequestFailed")]
    public static partial void RequestFailed(ILogger logger, long sessionId, Socks5Command command, Socks5Address destinationAddress, ushort destinationPort, Socks5ReplyCode replyCode);

    [LoggerMessage(32, LogLevel.Information, "Session {SessionId}: {Command} {DestinationAddress}:{DestinationPort} not done within {Timeout}", EventName = "RequestTimedOut")]
    public static partial void RequestTimedOut(ILogger logger, long sessionId, Socks5Command command, Socks5Address destinationAddress, ushort destinationPort, TimeSpan timeout);

    [LoggerMessage(33, LogLevel.Warning, "Session {SessionId}: the {Command} handler failed; answering {ReplyCode}", EventName = "HandlerFaulted")]
    public static partial void HandlerFaulted(ILogger logger, long sessionId, Socks5Command command, Socks5ReplyCode replyCode, Exception exception);

    [LoggerMessage(34, LogLevel.Debug, "Session {SessionId}: {Command} {DestinationAddress}:{DestinationPort} succeeded in {DurationMs} ms", EventName = "RequestSucceeded")]
    public static partial void RequestSucceeded(ILogger logger, long sessionId, Socks5Command command, Socks5Address destinationAddress, ushort destinationPort, double durationMs);

    [LoggerMessage(40, LogLevel.Information, "Session {SessionId}: no data moved for {IdleTimeout}; closing", EventName = "RelayIdleTimeout")]
    public static partial void RelayIdleTimeout(ILogger logger, long sessionId, TimeSpan idleTimeout);

    [LoggerMessage(41, LogLevel.Debug, "Session {SessionId}: relay aborted ({Outcome})", EventName = "RelayAborted")]
    public static partial void RelayAborted(ILogger logger, long sessionId, Socks5SessionOutcome outcome, Exception? exception);

    [LoggerMessage(42, LogLevel.Debug, "Session {SessionId}: disposing the upstream failed", EventName = "UpstreamDisposeFailed")]
    public static partial void UpstreamDisposeFailed(ILogger logger, long sessionId, Exception exception);
}
