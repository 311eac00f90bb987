using System.Diagnostics.Metrics;
using System.Globalization;

namespace AwgProxy.Cli.Metrics;

/// <summary>
/// What the exporter keeps per instrument: its family, how measurements combine, the constant
/// labels (meter and instrument tags) and its series. Finding a series is lock-free (a
/// copy-on-write array scanned by hash); only a new tag combination takes the lock.
/// </summary>
internal sealed class InstrumentState
{
    private readonly Lock _gate = new();
    private readonly PrometheusExporter _exporter;
    private MetricSeries? _untagged;
    private MetricSeries[] _series = [];

    public InstrumentState(PrometheusExporter exporter, Instrument instrument, MetricFamily family, MeasurementKind kind)
    {
        _exporter = exporter;
        Instrument = instrument;
        Family = family;
        Kind = kind;
        ConstantLabels = [.. (instrument.Meter.Tags ?? []).Concat(instrument.Tags ?? [])
            .Select(t => new KeyValuePair<string, string>(PrometheusNaming.LabelName(t.Key), Text(t.Value)))];
    }

    public Instrument Instrument { get; }

    public MetricFamily Family { get; }

    public MeasurementKind Kind { get; }

    public bool IsObservable => Kind is MeasurementKind.Observed;

    public IReadOnlyList<KeyValuePair<string, string>> ConstantLabels { get; }

    /// <summary>Every series (snapshot).</summary>
    public IEnumerable<MetricSeries> Series =>
        _untagged is { } untagged ? [untagged, .. Volatile.Read(ref _series)] : Volatile.Read(ref _series);

    /// <summary>The measurement path.</summary>
    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = Find(tags);
        switch (Kind)
        {
            case MeasurementKind.Sum:
                series.Add(value);
                break;
            case MeasurementKind.LastValue:
                series.Set(value);
                break;
            case MeasurementKind.Observed:
                series.Set(value);
                series.Generation = _exporter.Generation;
                break;
            case MeasurementKind.Histogram:
                series.Histogram!.Record(value, _exporter.Time.GetTimestamp());
                break;
        }
    }

    /// <summary>Drops observable series the last collection did not report.</summary>
    public void RemoveStale(long generation)
    {
        lock (_gate)
        {
            if (_untagged is { } untagged && untagged.Generation != generation)
            {
                _untagged = null;
            }

            _series = [.. _series.Where(s => s.Generation == generation)];
        }
    }

    /// <summary>A tag value as label text.</summary>
    public static string Text(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private MetricSeries Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return Volatile.Read(ref _untagged) ?? CreateUntagged();
        }

        var hash = MetricSeries.HashOf(tags);
        foreach (var series in Volatile.Read(ref _series))
        {
            if (series.Matches(hash, tags))
            {
                return series;
            }
        }

        lock (_gate)
        {
            foreach (var series in _series)
            {
                if (series.Matches(hash, tags))
                {
                    return series;
                }
            }

            var created = new MetricSeries(tags.ToArray(), hash, NewHistogram());
            Volatile.Write(ref _series, [.. _series, created]);
            return created;
        }
    }

    private MetricSeries CreateUntagged()
    {
        lock (_gate)
        {
            _untagged ??= new MetricSeries([], MetricSeries.HashOf([]), NewHistogram());
            return _untagged;
        }
    }

    private HistogramState? NewHistogram() =>
        Kind == MeasurementKind.Histogram ? new HistogramState(Family.Bounds!, _exporter.Options.QuantileSamples) : null;
}

/// <summary>How an instrument's measurements combine.</summary>
internal enum MeasurementKind
{
    /// <summary>Counter, UpDownCounter: add.</summary>
    Sum,

    /// <summary>Gauge (synchronous): keep the last value.</summary>
    LastValue,

    /// <summary>Observable instruments: the value reported by the latest collection.</summary>
    Observed,

    /// <summary>Histogram: buckets, sum, count, quantile window.</summary>
    Histogram,
}
