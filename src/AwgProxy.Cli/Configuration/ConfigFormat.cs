namespace AwgProxy.Cli.Configuration;

/// <summary>How a config file is read: by its extension, <c>.json</c> → JSON, anything else → INI.</summary>
public enum ConfigFormat
{
    /// <summary>INI, AWG/WireGuard style (Microsoft.Extensions.Configuration.Ini rules).</summary>
    Ini,

    /// <summary>JSON with the same sections as objects (comments and trailing commas allowed).</summary>
    Json,
}
