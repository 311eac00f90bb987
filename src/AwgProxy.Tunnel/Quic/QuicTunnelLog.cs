using Microsoft.Extensions.Logging;

namespace AwgProxy.Tunnel.Quic;

/// <summary>
/// Log messages of the QUIC binding (event IDs 4200-4299, listed in docs/protocol.md). Privacy: client
/// names, counts and reasons only; no key (public or private), no address of a destination.
/// </summary>
internal static partial class QuicTunnelLog
{
    [LoggerMessage(4200, LogLevel.Error, "Tunnel authentication with {Server} failed ({Reason}): {Message}", EventName = "ClientAuthenticationFailed")]
    public static partial void ClientAuthenticationFailed(ILogger logger, string server, string reason, string message);

    [LoggerMessage(4201, LogLevel.Information, "Tunnel connection to {Server} closed: {Reason}", EventName = "ClientConnectionClosed")]
    public static partial void ClientConnectionClosed(ILogger logger, string server, string reason);

    [LoggerMessage(4210, LogLevel.Information, "Tunnel server listening on udp {EndPoint} (ALPN awgproxy/1, {Clients} clients admitted).", EventName = "ListenerStarted")]
    public static partial void ListenerStarted(ILogger logger, string endPoint, int clients);

    [LoggerMessage(4211, LogLevel.Information, "Tunnel server stopped ({Connections} connections closed).", EventName = "ListenerStopped")]
    public static partial void ListenerStopped(ILogger logger, int connections);

    [LoggerMessage(4212, LogLevel.Information, "Client {Client} connected ({Connections} connections of this client, {Total} in all).", EventName = "ClientConnected")]
    public static partial void ClientConnected(ILogger logger, string client, int connections, int total);

    [LoggerMessage(4213, LogLevel.Information, "Client {Client} disconnected after {DurationMs} ms: {Reason}", EventName = "ClientDisconnected")]
    public static partial void ClientDisconnected(ILogger logger, string client, long durationMs, string reason);

    [LoggerMessage(4214, LogLevel.Warning, "Client {Client} refused: {Limit} limit of {Value} reached; connection closed with LIMIT_EXCEEDED (0x4).", EventName = "ConnectionLimitReached")]
    public static partial void ConnectionLimitReached(ILogger logger, string client, string limit, int value);

    [LoggerMessage(4215, LogLevel.Information, "Client {Client} connection closed by the idle timeout ({IdleSeconds} s without traffic).", EventName = "ConnectionIdle")]
    public static partial void ConnectionIdle(ILogger logger, string client, double idleSeconds);

    [LoggerMessage(4220, LogLevel.Warning, "A client was refused during the handshake: {Reason}.", EventName = "ClientRefused")]
    public static partial void ClientRefused(ILogger logger, string reason);

    [LoggerMessage(4221, LogLevel.Warning, "Client {Client} was refused during the handshake: its key is revoked.", EventName = "RevokedClientRefused")]
    public static partial void RevokedClientRefused(ILogger logger, string client);

    [LoggerMessage(4222, LogLevel.Debug, "Client {Client} authenticated.", EventName = "ClientAuthenticated")]
    public static partial void ClientAuthenticated(ILogger logger, string client);
}
