using System.Globalization;
using System.Text.RegularExpressions;

namespace AwgProxy.IntegrationTests.Support;

/// <summary>One scrape of a Prometheus text endpoint: series by name and labels.</summary>
internal sealed partial class Metrics
{
    private static readonly HttpClient s_http = new() { Timeout = Bounds.Step };

    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _series = [];

    private Metrics(string text)
    {
        Text = text;
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            Match match = SeriesLine().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in LabelPair().Matches(match.Groups["labels"].Value))
            {
                labels[label.Groups[1].Value] = label.Groups[2].Value;
            }

            string valueText = match.Groups["value"].Value;
            double value = valueText switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(valueText, CultureInfo.InvariantCulture),
            };
            _series.Add((match.Groups["name"].Value, labels, value));
        }
    }

    /// <summary>The exposition as served.</summary>
    public string Text { get; }

    public static async Task<Metrics> ScrapeAsync(Uri endpoint) => new(await s_http.GetStringAsync(endpoint));

    /// <summary>Parses an exposition fetched some other way.</summary>
    public static Metrics Parse(string text) => new(text);

    /// <summary>Whether a series of this name exists (with these labels, if given).</summary>
    public bool Has(string name, params (string Key, string Value)[] labels) => Matching(name, labels).Any();

    /// <summary>The sum of every series of this name carrying these labels (0 when there is none).</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) => Matching(name, labels).Sum(s => s.Value);

    /// <summary>Polls until <paramref name="name"/>{labels} reaches <paramref name="atLeast"/>; returns the last scrape.</summary>
    public static async Task<Metrics> WaitForAsync(Uri endpoint, string name, double atLeast, params (string Key, string Value)[] labels)
    {
        long deadline = Environment.TickCount64 + (long)Bounds.Step.TotalMilliseconds;
        while (true)
        {
            Metrics metrics = await ScrapeAsync(endpoint);
            if (metrics.Sum(name, labels) >= atLeast)
            {
                return metrics;
            }

            if (Environment.TickCount64 > deadline)
            {
                string shown = string.Join('\n', metrics.Text.Split('\n').Where(l => l.StartsWith(name, StringComparison.Ordinal)));
                throw new TimeoutException($"{name}{{{string.Join(",", labels.Select(l => $"{l.Key}={l.Value}"))}}} did not reach {atLeast}; now {metrics.Sum(name, labels)}:\n{shown}");
            }

            await Task.Delay(100);
        }
    }

    private IEnumerable<(string Name, Dictionary<string, string> Labels, double Value)> Matching(string name, (string Key, string Value)[] labels) =>
        _series.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out string? v) && v == l.Value));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$")]
    private static partial Regex SeriesLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
