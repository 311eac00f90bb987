using Microsoft.Extensions.Logging;

namespace AwgProxy.Cli.Hosting;

/// <summary>The CLI host's log messages (event IDs 1xx; the metrics server uses 2xx). None carries a secret.</summary>
internal static partial class CliLog
{
    [LoggerMessage(101, LogLevel.Debug, "config: loaded {Path} ({Format})", EventName = "ConfigLoaded")]
    public static partial void ConfigLoaded(ILogger logger, string path, string format);

    [LoggerMessage(102, LogLevel.Information, "{Summary}", EventName = "ConfigSummary")]
    public static partial void ConfigSummary(ILogger logger, string summary);

    [LoggerMessage(103, LogLevel.Warning, "config: {Warning}", EventName = "ConfigWarning")]
    public static partial void ConfigWarning(ILogger logger, string warning);

    [LoggerMessage(104, LogLevel.Information, "{Role}: started", EventName = "RoleStarted")]
    public static partial void RoleStarted(ILogger logger, string role);

    [LoggerMessage(105, LogLevel.Information, "{Role}: stopped", EventName = "RoleStopped")]
    public static partial void RoleStopped(ILogger logger, string role);

    [LoggerMessage(106, LogLevel.Error, "{Role}: {Message}", EventName = "RoleFailed")]
    public static partial void RoleFailed(ILogger logger, string role, string message);

    [LoggerMessage(107, LogLevel.Error, "{Role}: failed", EventName = "RoleCrashed")]
    public static partial void RoleCrashed(ILogger logger, string role, Exception exception);

    [LoggerMessage(108, LogLevel.Information, "metrics: serving http://{EndPoint}/metrics", EventName = "MetricsListening")]
    public static partial void MetricsListening(ILogger logger, string endPoint);

    [LoggerMessage(110, LogLevel.Information, "client: SOCKS5 proxy on {Socks5} ({Users} users), tunnelled to the server at {Server} (its key pinned)", EventName = "ClientReady")]
    public static partial void ClientReady(ILogger logger, string socks5, string server, int users);

    [LoggerMessage(112, LogLevel.Warning, "client: network changes cannot be followed on this system ({Reason}); the tunnel finds a dead path by its keep-alives instead", EventName = "NetworkWatchUnavailable")]
    public static partial void NetworkWatchUnavailable(ILogger logger, string reason);

    [LoggerMessage(111, LogLevel.Information, "server: listening on udp {Listen} for {Clients} clients; egress: {Egress}", EventName = "ServerReady")]
    public static partial void ServerReady(ILogger logger, string listen, int clients, string egress);
}
