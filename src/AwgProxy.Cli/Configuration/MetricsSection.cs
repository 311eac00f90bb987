namespace AwgProxy.Cli.Configuration;

/// <summary>The <c>[Metrics]</c> section: the Prometheus endpoint.</summary>
public sealed class MetricsSection
{
    /// <summary>TCP address serving <c>GET /metrics</c>; unset or empty = no endpoint.</summary>
    public string? Listen { get; set; }
}
