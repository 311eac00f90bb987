namespace AwgProxy.Cli.Metrics;

/// <summary>The Prometheus metric types this exporter writes (the <c># TYPE</c> line).</summary>
internal enum PrometheusType
{
    /// <summary>Counter and ObservableCounter: a running total, name ending in <c>_total</c>.</summary>
    Counter,

    /// <summary>UpDownCounter, ObservableUpDownCounter, Gauge, ObservableGauge; also the <c>_p95</c>/<c>_p99</c> series.</summary>
    Gauge,

    /// <summary>Histogram: <c>_bucket</c>, <c>_sum</c>, <c>_count</c>.</summary>
    Histogram,
}
