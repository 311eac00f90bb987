namespace AwgProxy.Cli.Metrics;

/// <summary>Limits of <see cref="MetricsHttpServer"/>.</summary>
public sealed class MetricsHttpServerOptions
{
    /// <summary>The path served (default <c>/metrics</c>); anything else is 404.</summary>
    public string Path { get; init; } = "/metrics";

    /// <summary>A connection must deliver its request head, and take the response, within this (default 5 s).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest request head (request line + headers) read (default 8 KiB); larger is answered 431.</summary>
    public int MaxRequestBytes { get; init; } = 8 * 1024;

    /// <summary>Connections served at once (default 16); more are closed at once.</summary>
    public int MaxConnections { get; init; } = 16;
}
