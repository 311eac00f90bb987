using System.Diagnostics.Metrics;
using System.Text;

namespace AwgProxy.Cli.Metrics;

/// <summary>
/// Turns the project's System.Diagnostics.Metrics instruments into Prometheus text exposition
/// format 0.0.4. A <see cref="MeterListener"/> subscribes to every instrument of the meters that
/// <see cref="PrometheusExporterOptions.MeterFilter"/> accepts (by default those named
/// <c>AwgProxy</c> or <c>AwgProxy.*</c>) and aggregates in process:
/// <list type="bullet">
/// <item>Counter / ObservableCounter → <c>counter</c> named <c>..._total</c>;</item>
/// <item>UpDownCounter / ObservableUpDownCounter / Gauge / ObservableGauge → <c>gauge</c>;</item>
/// <item>Histogram → <c>histogram</c> (<c>_bucket</c> with <c>le</c>, <c>_sum</c>, <c>_count</c>) plus two
/// gauges <c>&lt;name&gt;_p95</c> and <c>&lt;name&gt;_p99</c> computed over a sliding window
/// (<see cref="QuantileWindow"/>).</item>
/// </list>
/// Names follow <see cref="PrometheusNaming"/>; tags become labels (meter and instrument tags too).
/// <see cref="Collect()"/> polls the observable instruments and renders; collections are serialized.
/// This is the only place in the project that knows Prometheus.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>The Content-Type of the exposition.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly MeterListener _listener = new();
    private readonly Lock _familiesGate = new();
    private readonly Lock _collectGate = new();
    private readonly Dictionary<string, MetricFamily> _families = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>Starts listening to the instruments the filter accepts, existing and future.</summary>
    public PrometheusExporter(PrometheusExporterOptions? options = null, TimeProvider? timeProvider = null)
    {
        Options = options ?? new PrometheusExporterOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.QuantileSamples, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Options.QuantileWindow, TimeSpan.Zero, nameof(options));
        Time = timeProvider ?? TimeProvider.System;

        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (Options.MeterFilter(instrument.Meter) && Register(instrument) is { } state)
            {
                listener.EnableMeasurementEvents(instrument, state);
            }
        };
        _listener.MeasurementsCompleted = (_, state) => Unregister(state as InstrumentState);
        _listener.SetMeasurementEventCallback<byte>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<short>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<long>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<float>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<decimal>((i, v, t, s) => Record(s, (double)v, t));
        _listener.Start();
    }

    internal PrometheusExporterOptions Options { get; }

    internal TimeProvider Time { get; }

    internal long Generation => Volatile.Read(ref _generation);

    /// <summary>Polls the observable instruments and returns the exposition text.</summary>
    public string Collect()
    {
        var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        Collect(writer);
        return writer.ToString();
    }

    /// <summary>Polls the observable instruments and writes the exposition text.</summary>
    public void Collect(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        lock (_collectGate)
        {
            var generation = Interlocked.Increment(ref _generation);
            try
            {
                _listener.RecordObservableInstruments();
            }
            catch (AggregateException)
            {
                // A failing callback loses only its own instrument's values; the rest were recorded.
            }

            List<MetricFamily> families;
            lock (_familiesGate)
            {
                families = [.. _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal)];
                foreach (var state in families.SelectMany(f => f.Instruments).Where(s => s.IsObservable))
                {
                    state.RemoveStale(generation);
                }
            }

            var notBefore = Time.GetTimestamp() - (long)(Options.QuantileWindow.TotalSeconds * Time.TimestampFrequency);
            foreach (var family in families)
            {
                InstrumentState[] states;
                lock (_familiesGate)
                {
                    states = [.. family.Instruments];
                }

                PrometheusWriter.WriteFamily(writer, family, states, notBefore, Options);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _listener.Dispose();

    private static void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (state is InstrumentState instrument)
        {
            instrument.Record(value, tags);
        }
    }

    private InstrumentState? Register(Instrument instrument)
    {
        if (Classify(instrument) is not var (type, kind))
        {
            return null;
        }

        var name = PrometheusNaming.MetricName(instrument.Name, instrument.Unit, type);
        lock (_familiesGate)
        {
            if (!_families.TryGetValue(name, out var family))
            {
                var bounds = type == PrometheusType.Histogram ? HistogramBuckets.For(instrument.Unit, Advice(instrument)) : null;
                family = new MetricFamily(name, type, instrument.Description, bounds);
                _families.Add(name, family);
            }
            else if (family.Type != type)
            {
                // Same Prometheus name, different type: the first instrument keeps the name.
                return null;
            }

            var state = new InstrumentState(this, instrument, family, kind);
            family.Instruments.Add(state);
            return state;
        }
    }

    private void Unregister(InstrumentState? state)
    {
        if (state is null)
        {
            return;
        }

        lock (_familiesGate)
        {
            state.Family.Instruments.Remove(state);
            if (state.Family.Instruments.Count == 0)
            {
                _families.Remove(state.Family.Name);
            }
        }
    }

    private static (PrometheusType Type, MeasurementKind Kind)? Classify(Instrument instrument)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        return definition switch
        {
            _ when definition == typeof(Counter<>) => (PrometheusType.Counter, MeasurementKind.Sum),
            _ when definition == typeof(ObservableCounter<>) => (PrometheusType.Counter, MeasurementKind.Observed),
            _ when definition == typeof(UpDownCounter<>) => (PrometheusType.Gauge, MeasurementKind.Sum),
            _ when definition == typeof(ObservableUpDownCounter<>) => (PrometheusType.Gauge, MeasurementKind.Observed),
            _ when definition == typeof(ObservableGauge<>) => (PrometheusType.Gauge, MeasurementKind.Observed),
            _ when definition == typeof(Gauge<>) => (PrometheusType.Gauge, MeasurementKind.LastValue),
            _ when definition == typeof(Histogram<>) => (PrometheusType.Histogram, MeasurementKind.Histogram),
            _ => null,
        };
    }

    private static IEnumerable<double>? Advice(Instrument instrument) => instrument switch
    {
        Histogram<byte> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        Histogram<short> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
        Histogram<decimal> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        _ => null,
    };
}
