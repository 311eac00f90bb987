namespace AwgProxy.Cli.Configuration;

/// <summary>
/// The outcome of <see cref="ConfigLoader.Load"/>: every error and warning (each a full line,
/// prefixed with where the value came from, free of secrets) and, when there is no error, the
/// resolved config. Dispose it to release the private key unless <see cref="TakeConfig"/> took it.
/// </summary>
public sealed class ConfigLoadResult : IDisposable
{
    private IResolvedConfig? _config;

    internal ConfigLoadResult(string path, ConfigFormat format, ProxyRole? role, IReadOnlyList<string> errors, IReadOnlyList<string> warnings, IResolvedConfig? config)
    {
        Path = path;
        Format = format;
        Role = role;
        Errors = errors;
        Warnings = warnings;
        _config = config;
        Succeeded = config is not null && errors.Count == 0;
    }

    /// <summary>The file as given.</summary>
    public string Path { get; }

    /// <summary>How it was read.</summary>
    public ConfigFormat Format { get; }

    /// <summary>The role the file describes, when that could be told.</summary>
    public ProxyRole? Role { get; }

    /// <summary>Every error, e.g. <c>client.ini:12: [Awg] Jmin = 90 is greater than Jmax = 70</c>.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Every warning, in the same form.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The resolved config (a <see cref="ResolvedClientConfig"/> or <see cref="ResolvedServerConfig"/>); null when there are errors.</summary>
    public IResolvedConfig? Config => _config;

    /// <summary>True when the config is valid (and <see cref="Config"/> was produced, whether taken or not).</summary>
    public bool Succeeded { get; }

    /// <summary>Hands the resolved config (and its key) to the caller, who then disposes it.</summary>
    public IResolvedConfig TakeConfig()
    {
        var config = _config ?? throw new InvalidOperationException("The config has errors.");
        _config = null;
        return config;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _config?.Dispose();
        _config = null;
    }
}
