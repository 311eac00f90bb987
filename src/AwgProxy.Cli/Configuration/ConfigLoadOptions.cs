using Microsoft.Extensions.Logging;

namespace AwgProxy.Cli.Configuration;

/// <summary>Options of <see cref="ConfigLoader.Load"/>.</summary>
public sealed class ConfigLoadOptions
{
    /// <summary>Read <c>AWGPROXY_*</c> environment variables over the file (default true).</summary>
    public bool IncludeEnvironment { get; init; } = true;

    /// <summary>The parsed <c>LOG_LEVEL</c>, which wins over <c>[Log] Level</c>; null when unset.</summary>
    public LogLevel? LogLevelOverride { get; init; }
}
