using System.Diagnostics.Metrics;
using System.Globalization;
using AwgProxy.Cli.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace AwgProxy.Cli.Tests.Metrics;

public sealed class PrometheusExporterTests : IDisposable
{
    private readonly string _meterName = "AwgProxy.Test." + Guid.NewGuid().ToString("N");
    private readonly FakeTimeProvider _time = new();
    private readonly Meter _meter;
    private readonly PrometheusExporter _exporter;

    public PrometheusExporterTests()
    {
        _meter = new Meter(_meterName);
        _exporter = new PrometheusExporter(new PrometheusExporterOptions { MeterFilter = m => m.Name == _meterName }, _time);
    }

    public void Dispose()
    {
        _exporter.Dispose();
        _meter.Dispose();
    }

    [Fact]
    public void EveryInstrumentKind_IsWrittenInTextFormat004()
    {
        var requests = _meter.CreateCounter<long>("awgproxy.test.requests", description: "Requests handled.");
        var active = _meter.CreateUpDownCounter<int>("awgproxy.test.active", "{connection}", "Open connections.");
        _meter.CreateObservableGauge("awgproxy.test.queue", () => new Measurement<double>(21.5, new KeyValuePair<string, object?>("queue", "send")), "By", "Queued bytes.");
        var latency = _meter.CreateHistogram<double>("awgproxy.test.latency", "s", "Request latency.", tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1] });
        requests.Add(2, new KeyValuePair<string, object?>("method", "get"));
        requests.Add(1, new KeyValuePair<string, object?>("method", "get"));
        requests.Add(5, new KeyValuePair<string, object?>("method", "post"));
        active.Add(3);
        active.Add(-1);
        foreach (var value in new[] { 0.0625, 0.25, 0.25, 2 })
        {
            latency.Record(value);
        }

        var lines = _exporter.Collect().Split('\n');

        string[] expected =
        [
            "# HELP awgproxy_test_active Open connections.",
            "# TYPE awgproxy_test_active gauge",
            "awgproxy_test_active 2",
            "# HELP awgproxy_test_latency_seconds Request latency.",
            "# TYPE awgproxy_test_latency_seconds histogram",
            "awgproxy_test_latency_seconds_bucket{le=\"0.1\"} 1",
            "awgproxy_test_latency_seconds_bucket{le=\"0.5\"} 3",
            "awgproxy_test_latency_seconds_bucket{le=\"1\"} 3",
            "awgproxy_test_latency_seconds_bucket{le=\"+Inf\"} 4",
            "awgproxy_test_latency_seconds_sum 2.5625",
            "awgproxy_test_latency_seconds_count 4",
            "# HELP awgproxy_test_latency_seconds_p95 95th percentile of awgproxy_test_latency_seconds over the last 60 s (at most 1024 most recent samples; NaN when none).",
            "# TYPE awgproxy_test_latency_seconds_p95 gauge",
            "awgproxy_test_latency_seconds_p95 *",
            "# HELP awgproxy_test_latency_seconds_p99 99th percentile of awgproxy_test_latency_seconds over the last 60 s (at most 1024 most recent samples; NaN when none).",
            "# TYPE awgproxy_test_latency_seconds_p99 gauge",
            "awgproxy_test_latency_seconds_p99 *",
            "# HELP awgproxy_test_queue_bytes Queued bytes.",
            "# TYPE awgproxy_test_queue_bytes gauge",
            "awgproxy_test_queue_bytes{queue=\"send\"} 21.5",
            "# HELP awgproxy_test_requests_total Requests handled.",
            "# TYPE awgproxy_test_requests_total counter",
            "awgproxy_test_requests_total{method=\"get\"} 3",
            "awgproxy_test_requests_total{method=\"post\"} 5",
            string.Empty,
        ];
        Assert.Equal(expected.Length, lines.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i].EndsWith(" *", StringComparison.Ordinal))
            {
                Assert.StartsWith(expected[i][..^1], lines[i], StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(expected[i], lines[i]);
            }
        }

        // Type 7 over [0.0625, 0.25, 0.25, 2]: h = 3q, between 0.25 and 2.
        Assert.Equal(0.25 + (((3 * 0.95) - 2) * 1.75), Value(lines[13]), 9);
        Assert.Equal(0.25 + (((3 * 0.99) - 2) * 1.75), Value(lines[16]), 9);
    }

    [Fact]
    public void Quantiles_OfAKnownDistribution_AreExact()
    {
        var histogram = _meter.CreateHistogram<int>("awgproxy.test.size", "By");
        var random = new Random(12345);
        foreach (var value in Enumerable.Range(1, 1000).OrderBy(_ => random.Next()))
        {
            histogram.Record(value);
        }

        var text = _exporter.Collect();

        // numpy.percentile(range(1, 1001), [95, 99]) = 950.05, 990.01
        Assert.Equal(950.05, Sample(text, "awgproxy_test_size_bytes_p95"), 9);
        Assert.Equal(990.01, Sample(text, "awgproxy_test_size_bytes_p99"), 9);
        Assert.Equal(1000, Sample(text, "awgproxy_test_size_bytes_count"));
        Assert.Equal(500500, Sample(text, "awgproxy_test_size_bytes_sum"));
        Assert.Equal(1000, Sample(text, "awgproxy_test_size_bytes_bucket{le=\"1024\"}"));
        Assert.Equal(256, Sample(text, "awgproxy_test_size_bytes_bucket{le=\"256\"}"));
    }

    [Fact]
    public void Quantiles_ForgetSamplesOlderThanTheWindow()
    {
        var histogram = _meter.CreateHistogram<double>("awgproxy.test.rtt", "s");
        for (var i = 0; i < 100; i++)
        {
            histogram.Record(1);
        }

        _time.Advance(TimeSpan.FromSeconds(61));
        for (var i = 0; i < 10; i++)
        {
            histogram.Record(5);
        }

        var recent = _exporter.Collect();
        _time.Advance(TimeSpan.FromSeconds(61));
        var idle = _exporter.Collect();

        Assert.Equal(5, Sample(recent, "awgproxy_test_rtt_seconds_p95"));
        Assert.Equal(110, Sample(recent, "awgproxy_test_rtt_seconds_count"));
        Assert.True(double.IsNaN(Sample(idle, "awgproxy_test_rtt_seconds_p99")));
        Assert.Equal(110, Sample(idle, "awgproxy_test_rtt_seconds_count"));
    }

    [Fact]
    public void Quantiles_UseOnlyTheMostRecentSamples()
    {
        using var exporter = new PrometheusExporter(new PrometheusExporterOptions { MeterFilter = m => m.Name == _meterName, QuantileSamples = 10 }, _time);
        var histogram = _meter.CreateHistogram<double>("awgproxy.test.delay", "ms");
        for (var i = 1; i <= 100; i++)
        {
            histogram.Record(i);
        }

        var text = exporter.Collect();

        Assert.Equal(99.91, Sample(text, "awgproxy_test_delay_milliseconds_p99"), 9); // type 7 over 91..100
        Assert.Equal(100, Sample(text, "awgproxy_test_delay_milliseconds_count"));
    }

    [Fact]
    public void LabelValuesAndHelp_AreEscaped()
    {
        var counter = _meter.CreateCounter<int>("awgproxy.test.odd", unit: null, description: "Line one\nback\\slash");
        counter.Add(1, new KeyValuePair<string, object?>("path", "a\\b\"c\nd"), new KeyValuePair<string, object?>("peer.name", 7));

        var text = _exporter.Collect();

        Assert.Contains("# HELP awgproxy_test_odd_total Line one\\nback\\\\slash\n", text, StringComparison.Ordinal);
        Assert.Contains("awgproxy_test_odd_total{path=\"a\\\\b\\\"c\\nd\",peer_name=\"7\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void MeterAndInstrumentTags_BecomeLabels()
    {
        using var meter = new Meter(_meterName, version: null, tags: [new("side", "server")]);
        var counter = meter.CreateCounter<long>("awgproxy.test.tagged", "By", null, [new KeyValuePair<string, object?>("dir", "up")]);
        counter.Add(10, new KeyValuePair<string, object?>("client", "laptop"));

        var text = _exporter.Collect();

        Assert.Contains("awgproxy_test_tagged_bytes_total{client=\"laptop\",dir=\"up\",side=\"server\"} 10\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SameInstrumentInTwoMeters_IsSummed()
    {
        using var second = new Meter(_meterName);
        _meter.CreateCounter<long>("awgproxy.test.shared").Add(2);
        second.CreateCounter<long>("awgproxy.test.shared").Add(3);

        var text = _exporter.Collect();

        Assert.Contains("\nawgproxy_test_shared_total 5\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), l => l.StartsWith("# TYPE awgproxy_test_shared_total", StringComparison.Ordinal));
    }

    [Fact]
    public void ObservableSeries_DisappearWhenNoLongerReported()
    {
        var clients = new List<string> { "laptop", "phone" };
        _meter.CreateObservableUpDownCounter("awgproxy.test.sessions", () => clients.Select(c => new Measurement<int>(1, new KeyValuePair<string, object?>("client", c))));

        var both = _exporter.Collect();
        clients.Remove("phone");
        var one = _exporter.Collect();

        Assert.Contains("awgproxy_test_sessions{client=\"phone\"} 1\n", both, StringComparison.Ordinal);
        Assert.Contains("awgproxy_test_sessions{client=\"laptop\"} 1\n", one, StringComparison.Ordinal);
        Assert.DoesNotContain("phone", one, StringComparison.Ordinal);
    }

    [Fact]
    public void ObservableCounterAndSynchronousGauge_AreWritten()
    {
        long sent = 4096;
        _meter.CreateObservableCounter("awgproxy.test.sent", () => sent, "By");
        var gauge = _meter.CreateGauge<double>("awgproxy.test.cwnd", "By");
        gauge.Record(12000);
        gauge.Record(14520);

        var first = _exporter.Collect();
        sent = 8192;
        var second = _exporter.Collect();

        Assert.Contains("# TYPE awgproxy_test_sent_bytes_total counter\nawgproxy_test_sent_bytes_total 4096\n", first, StringComparison.Ordinal);
        Assert.Contains("awgproxy_test_sent_bytes_total 8192\n", second, StringComparison.Ordinal);
        Assert.Contains("# TYPE awgproxy_test_cwnd_bytes gauge\nawgproxy_test_cwnd_bytes 14520\n", second, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherMeters_AreNotExported_AndADisposedMeterVanishes()
    {
        using var project = new Meter("AwgProxy.Test." + Guid.NewGuid().ToString("N"));
        using var foreign = new Meter("Contoso.Test." + Guid.NewGuid().ToString("N"));
        using var exporter = new PrometheusExporter(timeProvider: _time);
        var projectCounter = project.CreateCounter<int>("awgproxy.test.mine." + Guid.NewGuid().ToString("N"));
        foreign.CreateCounter<int>("contoso.test.theirs").Add(1);
        projectCounter.Add(1);

        var before = exporter.Collect();
        project.Dispose();
        var after = exporter.Collect();

        var name = projectCounter.Name.Replace('.', '_') + "_total";
        Assert.Contains($"\n{name} 1\n", before, StringComparison.Ordinal);
        Assert.DoesNotContain("contoso", before, StringComparison.Ordinal);
        Assert.DoesNotContain(name, after, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultFilter_FollowsTheMeterNamingConvention()
    {
        Assert.True(AwgProxyMeters.IsProjectMeter(new Meter("AwgProxy")));
        Assert.True(AwgProxyMeters.IsProjectMeter(new Meter("AwgProxy.Quic")));
        Assert.False(AwgProxyMeters.IsProjectMeter(new Meter("AwgProxyish")));
        Assert.False(AwgProxyMeters.IsProjectMeter(new Meter("System.Net.Sockets")));
    }

    private static double Value(string line) => ParseValue(line[(line.LastIndexOf(' ') + 1)..]);

    private static double Sample(string text, string series)
    {
        var line = text.Split('\n').Single(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return Value(line);
    }

    private static double ParseValue(string text) => text switch
    {
        "NaN" => double.NaN,
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(text, CultureInfo.InvariantCulture),
    };
}
