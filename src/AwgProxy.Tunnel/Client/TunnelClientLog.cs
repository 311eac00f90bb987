using Microsoft.Extensions.Logging;

namespace AwgProxy.Tunnel.Client;

/// <summary>
/// The client side's log messages (event IDs 4100-4199, listed in docs/protocol.md). Privacy:
/// destinations appear only at Debug; payload bytes never appear.
/// </summary>
internal static partial class TunnelClientLog
{
    [LoggerMessage(4100, LogLevel.Information, "Tunnel connected to {Server} at {RemoteEndPoint}.", EventName = "Connected")]
    public static partial void Connected(ILogger logger, string server, System.Net.EndPoint remoteEndPoint);

    [LoggerMessage(4101, LogLevel.Warning, "Tunnel connection attempt {Attempt} failed: {Reason}", EventName = "ConnectFailed")]
    public static partial void ConnectFailed(ILogger logger, int attempt, string reason, Exception? exception);

    [LoggerMessage(4102, LogLevel.Information, "Reconnecting (retry {Retry}) in {DelayMs} ms.", EventName = "ReconnectScheduled")]
    public static partial void ReconnectScheduled(ILogger logger, int retry, double delayMs);

    [LoggerMessage(4103, LogLevel.Warning, "Tunnel connection to {Server} lost.", EventName = "ConnectionLost")]
    public static partial void ConnectionLost(ILogger logger, string server);

    [LoggerMessage(4104, LogLevel.Information, "Tunnel reconnected to {Server} (reconnect {Reconnects}).", EventName = "Reconnected")]
    public static partial void Reconnected(ILogger logger, string server, long reconnects);

    [LoggerMessage(4105, LogLevel.Information, "Network changed: the tunnel connection to {Server} moved to a new local socket.", EventName = "Migrated")]
    public static partial void Migrated(ILogger logger, string server);

    [LoggerMessage(4106, LogLevel.Information, "Network changed: the tunnel connection to {Server} stays on its socket (it cannot migrate now).", EventName = "MigrationSkipped")]
    public static partial void MigrationSkipped(ILogger logger, string server);

    [LoggerMessage(4107, LogLevel.Warning, "Network changed: moving the tunnel connection to {Server} failed.", EventName = "MigrationFailed")]
    public static partial void MigrationFailed(ILogger logger, string server, Exception exception);

    [LoggerMessage(4110, LogLevel.Debug, "Stream {StreamId} to {Destination}: {Status} in {ElapsedMs} ms.", EventName = "StreamOpened")]
    public static partial void StreamOpened(ILogger logger, long streamId, string destination, string status, long elapsedMs);

    [LoggerMessage(4111, LogLevel.Warning, "No tunnel connection within {TimeoutMs} ms; request failed.", EventName = "RequestWaitTimedOut")]
    public static partial void RequestWaitTimedOut(ILogger logger, long timeoutMs);

    [LoggerMessage(4112, LogLevel.Warning, "Stream {StreamId}: no response from the server within {TimeoutMs} ms.", EventName = "ResponseTimedOut")]
    public static partial void ResponseTimedOut(ILogger logger, long streamId, long timeoutMs);

    [LoggerMessage(4113, LogLevel.Warning, "Stream {StreamId}: the server sent a malformed response.", EventName = "InvalidResponse")]
    public static partial void InvalidResponse(ILogger logger, long streamId);

    [LoggerMessage(4114, LogLevel.Debug, "Stream {StreamId} session closed: {Outcome}, {BytesUp} bytes up, {BytesDown} bytes down, {DurationMs} ms.", EventName = "SessionClosed")]
    public static partial void SessionClosed(ILogger logger, long streamId, Relay.RelayOutcome outcome, long bytesUp, long bytesDown, long durationMs);

    [LoggerMessage(4115, LogLevel.Debug, "Stream {StreamId} ended before the server's response.", EventName = "OpenAborted")]
    public static partial void OpenAborted(ILogger logger, long streamId, Exception exception);
}
