using Microsoft.Extensions.Logging;

namespace AwgProxy.Tunnel.Server;

/// <summary>
/// The server side's log messages (event IDs 4000-4099, listed in docs/protocol.md). Privacy: a
/// destination (host:port) and the client's address appear only at Debug; payload bytes and key
/// material never appear at any level.
/// </summary>
internal static partial class TunnelServerLog
{
    [LoggerMessage(4000, LogLevel.Debug, "Client {Client} connected from {RemoteEndPoint}.", EventName = "ConnectionStarted")]
    public static partial void ConnectionStarted(ILogger logger, string client, System.Net.EndPoint remoteEndPoint);

    [LoggerMessage(4001, LogLevel.Debug, "Client {Client} connection ended after {Streams} streams and {DurationMs} ms.", EventName = "ConnectionEnded")]
    public static partial void ConnectionEnded(ILogger logger, string client, long streams, long durationMs);

    [LoggerMessage(4010, LogLevel.Debug, "Client {Client} stream {StreamId} asks for {Command} to {Destination}.", EventName = "StreamRequest")]
    public static partial void StreamRequest(ILogger logger, string client, long streamId, string command, string destination);

    [LoggerMessage(4011, LogLevel.Debug, "Client {Client} stream {StreamId}: dial {Destination} → {Status} ({SocketError}) via {RemoteEndPoint} in {ElapsedMs} ms.", EventName = "DialResult")]
    public static partial void DialResult(ILogger logger, string client, long streamId, string destination, string status, string socketError, string remoteEndPoint, long elapsedMs);

    [LoggerMessage(4012, LogLevel.Information, "Client {Client} stream {StreamId} refused by the egress policy: {Verdict}.", EventName = "EgressRefused")]
    public static partial void EgressRefused(ILogger logger, string client, long streamId, EgressVerdict verdict);

    [LoggerMessage(4013, LogLevel.Debug, "Client {Client} stream {StreamId} session opened.", EventName = "SessionOpened")]
    public static partial void SessionOpened(ILogger logger, string client, long streamId);

    [LoggerMessage(4014, LogLevel.Debug, "Client {Client} stream {StreamId} session closed: {Outcome}, {BytesUp} bytes up, {BytesDown} bytes down, {DurationMs} ms.", EventName = "SessionClosed")]
    public static partial void SessionClosed(ILogger logger, string client, long streamId, Relay.RelayOutcome outcome, long bytesUp, long bytesDown, long durationMs);

    [LoggerMessage(4020, LogLevel.Warning, "Client {Client} reached its limit of {Limit} concurrent streams; stream {StreamId} refused.", EventName = "StreamLimitReached")]
    public static partial void StreamLimitReached(ILogger logger, string client, int limit, long streamId);

    [LoggerMessage(4025, LogLevel.Warning, "Client {Client} reached the limit of {Limit} concurrent streams on one connection; stream {StreamId} refused.", EventName = "ConnectionStreamLimitReached")]
    public static partial void ConnectionStreamLimitReached(ILogger logger, string client, int limit, long streamId);

    [LoggerMessage(4021, LogLevel.Information, "Client {Client} stream {StreamId} sent no whole request within {TimeoutMs} ms; reset.", EventName = "RequestTimedOut")]
    public static partial void RequestTimedOut(ILogger logger, string client, long streamId, long timeoutMs);

    [LoggerMessage(4022, LogLevel.Information, "Client {Client} stream {StreamId} sent a malformed request; reset with a protocol error.", EventName = "InvalidRequest")]
    public static partial void InvalidRequest(ILogger logger, string client, long streamId);

    [LoggerMessage(4023, LogLevel.Information, "Client {Client} stream {StreamId} asked for unsupported command {Command}.", EventName = "UnsupportedCommand")]
    public static partial void UnsupportedCommand(ILogger logger, string client, long streamId, byte command);

    [LoggerMessage(4024, LogLevel.Debug, "Client {Client} stream {StreamId} ended by the peer or the connection.", EventName = "StreamAborted")]
    public static partial void StreamAborted(ILogger logger, string client, long streamId, Exception exception);

    [LoggerMessage(4030, LogLevel.Error, "Client {Client} stream {StreamId} failed unexpectedly.", EventName = "StreamFailed")]
    public static partial void StreamFailed(ILogger logger, string client, long streamId, Exception exception);
}
