namespace AwgProxy.Cli.Metrics;

/// <summary>
/// Bucket upper bounds of a histogram: the instrument's advice
/// (<c>InstrumentAdvice&lt;T&gt;.HistogramBucketBoundaries</c>) when it gives some, otherwise a
/// default by unit (docs/metrics.md).
/// </summary>
internal static class HistogramBuckets
{
    /// <summary>For <c>s</c>: 0.5 ms to 5 min.</summary>
    public static readonly double[] Seconds =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    /// <summary>For <c>ms</c>: the same span in milliseconds.</summary>
    public static readonly double[] Milliseconds = [.. Seconds.Select(s => s * 1000)];

    /// <summary>For <c>By</c>: 64 B to 256 MiB in powers of 4.</summary>
    public static readonly double[] Bytes = [.. Enumerable.Range(0, 12).Select(i => 64 * Math.Pow(4, i))];

    /// <summary>Anything else: OpenTelemetry's default explicit buckets.</summary>
    public static readonly double[] Default = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    /// <summary>The bounds for an instrument: sorted, distinct, finite.</summary>
    public static double[] For(string? unit, IEnumerable<double>? advice)
    {
        if (advice is not null)
        {
            var bounds = advice.Where(double.IsFinite).Distinct().Order().ToArray();
            if (bounds.Length > 0)
            {
                return bounds;
            }
        }

        return unit switch
        {
            "s" => Seconds,
            "ms" => Milliseconds,
            "By" => Bytes,
            _ => Default,
        };
    }
}
