namespace AwgProxy.Cli.Configuration;

/// <summary>The <c>[Log]</c> section. The <c>LOG_LEVEL</c> environment variable overrides it.</summary>
public sealed class LogSection
{
    /// <summary>trace, debug, information, warning, error, critical or none (case-insensitive).</summary>
    public string? Level { get; set; } = ConfigDefaults.LogLevel;
}
