namespace AwgProxy.Cli.Metrics;

/// <summary>
/// The samples behind a histogram's <c>_p95</c> and <c>_p99</c> series: a ring of the last
/// <c>capacity</c> recorded values with their timestamps. A quantile is computed over the samples
/// of the last window (<see cref="PrometheusExporterOptions.QuantileWindow"/>) still in the ring, as
/// an exact order statistic with linear interpolation between neighbours (Hyndman and Fan type 7,
/// numpy's default). So it is exact over the window unless more than <c>capacity</c> values arrived
/// in it, in which case it describes the most recent <c>capacity</c> of them.
/// Not thread-safe: the owning series locks.
/// </summary>
internal sealed class QuantileWindow
{
    private readonly double[] _values;
    private readonly long[] _timestamps;
    private int _next;
    private int _count;

    public QuantileWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _values = new double[capacity];
        _timestamps = new long[capacity];
    }

    /// <summary>Records a value at a timestamp (TimeProvider ticks).</summary>
    public void Add(double value, long timestamp)
    {
        _values[_next] = value;
        _timestamps[_next] = timestamp;
        _next = _next + 1 == _values.Length ? 0 : _next + 1;
        if (_count < _values.Length)
        {
            _count++;
        }
    }

    /// <summary>Appends the values recorded at or after <paramref name="notBefore"/>.</summary>
    public void CopyRecent(long notBefore, List<double> destination)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_timestamps[i] >= notBefore)
            {
                destination.Add(_values[i]);
            }
        }
    }

    /// <summary>
    /// The <paramref name="q"/>-quantile of sorted values (type 7: h = (n − 1)q, interpolate between
    /// x[⌊h⌋] and x[⌊h⌋ + 1]); NaN when there are none.
    /// </summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.IsEmpty)
        {
            return double.NaN;
        }

        var h = (sorted.Length - 1) * q;
        var lower = (int)Math.Floor(h);
        if (lower + 1 >= sorted.Length)
        {
            return sorted[^1];
        }

        return sorted[lower] + ((h - lower) * (sorted[lower + 1] - sorted[lower]));
    }
}
