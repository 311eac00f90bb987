using System.Diagnostics.Metrics;

namespace AwgProxy.Cli.Metrics;

/// <summary>Options of <see cref="PrometheusExporter"/>.</summary>
public sealed class PrometheusExporterOptions
{
    /// <summary>Which meters to export; default <see cref="AwgProxyMeters.IsProjectMeter"/>.</summary>
    public Func<Meter, bool> MeterFilter { get; init; } = AwgProxyMeters.IsProjectMeter;

    /// <summary>How far back the <c>_p95</c>/<c>_p99</c> series look (default 60 s).</summary>
    public TimeSpan QuantileWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Most recent samples kept per histogram series for the quantiles (default 1024).</summary>
    public int QuantileSamples { get; init; } = 1024;
}
