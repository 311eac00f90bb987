namespace AwgProxy.Cli.Configuration;

/// <summary>
/// One problem found in a config: <see cref="Path"/> is the configuration key it is about
/// (<c>Awg:Jc</c>, <c>Clients:laptop:PublicKey</c>; null for the file as a whole) and
/// <see cref="Message"/> reads like the file (<c>[Awg] Jmin = 90 is greater than Jmax = 70</c>) and
/// never holds a secret value. The loader prefixes where the value came from (file and line, or the
/// environment variable).
/// </summary>
public sealed record ConfigProblem(string? Path, string Message)
{
    /// <summary>
    /// "[Section] Key" for a configuration path: <c>Awg:Jc</c> → <c>[Awg] Jc</c>,
    /// <c>Socks5:Users:alice</c> → <c>[Socks5:Users] alice</c>, a top-level name (a section) → <c>[Awg]</c>.
    /// </summary>
    public static string Describe(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var colon = path.LastIndexOf(':');
        return colon < 0 ? $"[{path}]" : $"[{path[..colon]}] {path[(colon + 1)..]}";
    }
}
