namespace AwgProxy.Cli.Metrics;

/// <summary>
/// One Prometheus metric name with its type and help, fed by one or more instruments (the same
/// instrument name in several meters with that name, as <c>IMeterFactory</c> may create).
/// </summary>
internal sealed class MetricFamily(string name, PrometheusType type, string? help, double[]? bounds)
{
    public string Name { get; } = name;

    public PrometheusType Type { get; } = type;

    public string? Help { get; } = help;

    /// <summary>Histogram bucket bounds, fixed by the first instrument.</summary>
    public double[]? Bounds { get; } = bounds;

    public List<InstrumentState> Instruments { get; } = [];
}
