namespace AwgProxy.Cli.Metrics;

/// <summary>
/// One tag combination of one instrument: a running sum, a last value or a histogram. Updated from
/// any thread on the measurement path: sums by compare-and-swap, last values by exchange, histograms
/// under their own lock.
/// </summary>
internal sealed class MetricSeries
{
    private double _value;

    public MetricSeries(KeyValuePair<string, object?>[] tags, int hash, HistogramState? histogram)
    {
        Tags = tags;
        Hash = hash;
        Histogram = histogram;
    }

    /// <summary>The tags as recorded (matched on the measurement path).</summary>
    public KeyValuePair<string, object?>[] Tags { get; }

    /// <summary><see cref="HashOf"/> of <see cref="Tags"/>.</summary>
    public int Hash { get; }

    /// <summary>The histogram, for histogram instruments.</summary>
    public HistogramState? Histogram { get; }

    /// <summary>The collection that last reported this series (observable instruments).</summary>
    public long Generation { get; set; }

    /// <summary>The sum or last value.</summary>
    public double Value => Volatile.Read(ref _value);

    /// <summary>Adds to the sum.</summary>
    public void Add(double delta)
    {
        var current = Volatile.Read(ref _value);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref _value, current + delta, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Replaces the value.</summary>
    public void Set(double value) => Interlocked.Exchange(ref _value, value);

    /// <summary>True when <paramref name="tags"/> are this series' tags, in the same order.</summary>
    public bool Matches(int hash, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (hash != Hash || tags.Length != Tags.Length)
        {
            return false;
        }

        for (var i = 0; i < tags.Length; i++)
        {
            if (!string.Equals(tags[i].Key, Tags[i].Key, StringComparison.Ordinal) || !Equals(tags[i].Value, Tags[i].Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A hash of tag keys and values, order-sensitive.</summary>
    public static int HashOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = new HashCode();
        foreach (var tag in tags)
        {
            hash.Add(tag.Key);
            hash.Add(tag.Value);
        }

        return hash.ToHashCode();
    }
}
