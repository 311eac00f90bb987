using Microsoft.Extensions.Logging;

namespace AwgProxy.Cli.Configuration;

/// <summary>
/// Log level names as <c>LOG_LEVEL</c> and <c>[Log] Level</c> take them, case-insensitive: trace,
/// debug, information (info), warning (warn), error, critical, none.
/// </summary>
public static class LogLevelText
{
    /// <summary>The environment variable that overrides <c>[Log] Level</c>.</summary>
    public const string EnvironmentVariable = "LOG_LEVEL";

    /// <summary>The accepted names, for messages.</summary>
    public const string Accepted = "trace, debug, information, warning, error, critical or none";

    /// <summary>Parses a level name.</summary>
    public static bool TryParse(string? text, out LogLevel level)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "TRACE": level = LogLevel.Trace; return true;
            case "DEBUG": level = LogLevel.Debug; return true;
            case "INFORMATION" or "INFO": level = LogLevel.Information; return true;
            case "WARNING" or "WARN": level = LogLevel.Warning; return true;
            case "ERROR": level = LogLevel.Error; return true;
            case "CRITICAL": level = LogLevel.Critical; return true;
            case "NONE": level = LogLevel.None; return true;
            default: level = LogLevel.Information; return false;
        }
    }

    /// <summary>The name <see cref="TryParse"/> reads back.</summary>
    public static string Format(LogLevel level) => level.ToString().ToLowerInvariant();
}
