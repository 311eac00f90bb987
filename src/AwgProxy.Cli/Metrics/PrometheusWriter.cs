using System.Globalization;
using System.Text;

namespace AwgProxy.Cli.Metrics;

/// <summary>
/// Writes one metric family in text format 0.0.4: <c># HELP</c> (when the instrument has a
/// description), <c># TYPE</c>, then one line per label set, sorted. Series of several instruments
/// with the same labels are merged (sums added, histograms added, gauges: the last one).
/// </summary>
internal static class PrometheusWriter
{
    private static readonly double[] s_quantiles = [0.95, 0.99];

    public static void WriteFamily(TextWriter writer, MetricFamily family, IReadOnlyList<InstrumentState> states, long notBefore, PrometheusExporterOptions options)
    {
        if (family.Type == PrometheusType.Histogram)
        {
            WriteHistogram(writer, family, states, notBefore, options);
            return;
        }

        var samples = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var state in states)
        {
            foreach (var series in state.Series)
            {
                var labels = Labels(state, series, extra: null);
                samples[labels] = samples.TryGetValue(labels, out var existing) && state.Kind == MeasurementKind.Sum
                    ? existing + series.Value
                    : series.Value;
            }
        }

        if (samples.Count == 0)
        {
            return;
        }

        WriteHeader(writer, family.Name, family.Help, family.Type == PrometheusType.Counter ? "counter" : "gauge");
        foreach (var (labels, value) in samples)
        {
            writer.Write(family.Name);
            writer.Write(labels);
            writer.Write(' ');
            writer.Write(PrometheusNaming.FormatValue(value));
            writer.Write('\n');
        }
    }

    private static void WriteHistogram(TextWriter writer, MetricFamily family, IReadOnlyList<InstrumentState> states, long notBefore, PrometheusExporterOptions options)
    {
        var bounds = family.Bounds!;
        var merged = new SortedDictionary<string, (long[] Counts, double Sum, long Count, List<double> Recent, InstrumentState State, MetricSeries Series)>(StringComparer.Ordinal);
        foreach (var state in states)
        {
            foreach (var series in state.Series)
            {
                var labels = Labels(state, series, extra: null);
                if (!merged.TryGetValue(labels, out var entry))
                {
                    entry = (new long[bounds.Length + 1], 0, 0, [], state, series);
                }

                var sum = entry.Sum;
                var count = entry.Count;
                series.Histogram!.Snapshot(entry.Counts, ref sum, ref count, notBefore, entry.Recent);
                merged[labels] = entry with { Sum = sum, Count = count };
            }
        }

        if (merged.Count == 0)
        {
            return;
        }

        WriteHeader(writer, family.Name, family.Help, "histogram");
        foreach (var (labels, entry) in merged)
        {
            long cumulative = 0;
            for (var i = 0; i <= bounds.Length; i++)
            {
                cumulative += entry.Counts[i];
                var le = i < bounds.Length ? PrometheusNaming.FormatValue(bounds[i]) : "+Inf";
                writer.Write(family.Name);
                writer.Write("_bucket");
                writer.Write(Labels(entry.State, entry.Series, new KeyValuePair<string, string>("le", le)));
                writer.Write(' ');
                writer.Write(cumulative.ToString(CultureInfo.InvariantCulture));
                writer.Write('\n');
            }

            writer.Write($"{family.Name}_sum{labels} {PrometheusNaming.FormatValue(entry.Sum)}\n");
            writer.Write($"{family.Name}_count{labels} {entry.Count.ToString(CultureInfo.InvariantCulture)}\n");
        }

        var window = options.QuantileWindow.TotalSeconds.ToString("R", CultureInfo.InvariantCulture);
        foreach (var q in s_quantiles)
        {
            var percent = (int)Math.Round(q * 100);
            var name = $"{family.Name}_p{percent}";
            WriteHeader(writer, name, $"{percent}th percentile of {family.Name} over the last {window} s (at most {options.QuantileSamples} most recent samples; NaN when none).", "gauge");
            foreach (var (labels, entry) in merged)
            {
                var sorted = entry.Recent.ToArray();
                Array.Sort(sorted);
                writer.Write($"{name}{labels} {PrometheusNaming.FormatValue(QuantileWindow.Quantile(sorted, q))}\n");
            }
        }
    }

    private static void WriteHeader(TextWriter writer, string name, string? help, string type)
    {
        if (!string.IsNullOrWhiteSpace(help))
        {
            writer.Write($"# HELP {name} {PrometheusNaming.EscapeHelp(help)}\n");
        }

        writer.Write($"# TYPE {name} {type}\n");
    }

    /// <summary><c>{a="1",b="2"}</c> sorted by name (measurement tags over constant labels), an optional label last; empty when none.</summary>
    private static string Labels(InstrumentState state, MetricSeries series, KeyValuePair<string, string>? extra)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in state.ConstantLabels)
        {
            labels[key] = value;
        }

        foreach (var tag in series.Tags)
        {
            labels[PrometheusNaming.LabelName(tag.Key)] = InstrumentState.Text(tag.Value);
        }

        if (labels.Count == 0 && extra is null)
        {
            return string.Empty;
        }

        var builder = new StringBuilder("{");
        foreach (var (key, value) in labels)
        {
            AppendLabel(builder, key, value);
        }

        if (extra is { } last)
        {
            AppendLabel(builder, last.Key, last.Value);
        }

        builder.Length--;
        return builder.Append('}').ToString();
    }

    private static void AppendLabel(StringBuilder builder, string key, string value) =>
        builder.Append(key).Append("=\"").Append(PrometheusNaming.EscapeLabelValue(value)).Append("\",");
}
