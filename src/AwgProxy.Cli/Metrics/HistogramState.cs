namespace AwgProxy.Cli.Metrics;

/// <summary>Bucket counts, sum, count and the quantile window of one histogram series.</summary>
internal sealed class HistogramState
{
    private readonly Lock _gate = new();
    private readonly QuantileWindow _window;

    public HistogramState(double[] bounds, int quantileSamples)
    {
        Bounds = bounds;
        Counts = new long[bounds.Length + 1];
        _window = new QuantileWindow(quantileSamples);
    }

    /// <summary>Upper bounds (inclusive, Prometheus <c>le</c>); the last bucket is +Inf.</summary>
    public double[] Bounds { get; }

    /// <summary>Non-cumulative count per bucket; read only under <see cref="Snapshot"/>.</summary>
    private long[] Counts { get; }

    private double Sum { get; set; }

    private long Count { get; set; }

    /// <summary>Records one value.</summary>
    public void Record(double value, long timestamp)
    {
        var index = Array.BinarySearch(Bounds, value);
        if (index < 0)
        {
            index = ~index;
        }

        lock (_gate)
        {
            Counts[index]++;
            Sum += value;
            Count++;
            _window.Add(value, timestamp);
        }
    }

    /// <summary>Adds this histogram into the totals, and its recent samples into <paramref name="recent"/>.</summary>
    public void Snapshot(long[] counts, ref double sum, ref long count, long notBefore, List<double> recent)
    {
        lock (_gate)
        {
            for (var i = 0; i < Counts.Length && i < counts.Length; i++)
            {
                counts[i] += Counts[i];
            }

            sum += Sum;
            count += Count;
            _window.CopyRecent(notBefore, recent);
        }
    }
}
