using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AwgProxy.Cli.Metrics;

namespace AwgProxy.Cli.Tests.Metrics;

/// <summary>The scrape endpoint over real loopback sockets.</summary>
public sealed class MetricsHttpServerTests : IAsyncLifetime
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);
    private readonly string _meterName = "AwgProxy.Test." + Guid.NewGuid().ToString("N");
    private readonly HttpClient _http = new() { Timeout = s_bound };
    private Meter _meter = null!;
    private PrometheusExporter _exporter = null!;
    private MetricsHttpServer _server = null!;

    private Uri Base => new($"http://{_server.LocalEndPoint}");

    public Task InitializeAsync()
    {
        _meter = new Meter(_meterName);
        _exporter = new PrometheusExporter(new PrometheusExporterOptions { MeterFilter = m => m.Name == _meterName });
        // A generous deadline here: on a loaded machine 300 ms can pass before a request head arrives.
        // The tests of the deadline itself use their own server with a short one.
        _server = MetricsHttpServer.Start(
            new IPEndPoint(IPAddress.Loopback, 0),
            _exporter,
            new MetricsHttpServerOptions { RequestTimeout = TimeSpan.FromSeconds(10), MaxRequestBytes = 1024 });
        _meter.CreateCounter<long>("awgproxy.test.scrapes", description: "Test counter.").Add(7, new KeyValuePair<string, object?>("kind", "unit"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _exporter.Dispose();
        _meter.Dispose();
        _http.Dispose();
    }

    [Fact]
    public async Task GetMetrics_ServesTheExposition()
    {
        using var response = await _http.GetAsync(new Uri(Base, "/metrics"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(
            "# HELP awgproxy_test_scrapes_total Test counter.\n# TYPE awgproxy_test_scrapes_total counter\nawgproxy_test_scrapes_total{kind=\"unit\"} 7\n",
            body);
    }

    [Fact]
    public async Task QueryString_IsIgnored()
    {
        using var response = await _http.GetAsync(new Uri(Base, "/metrics?name[]=x"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Head_SendsHeadersWithoutBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri(Base, "/metrics"));
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Content.Headers.ContentLength > 0);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/metrics/")]
    [InlineData("/favicon.ico")]
    public async Task OtherPaths_Are404(string path)
    {
        using var response = await _http.GetAsync(new Uri(Base, path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task OtherMethods_Are405WithAllow()
    {
        using var response = await _http.PostAsync(new Uri(Base, "/metrics"), new StringContent(string.Empty));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task MalformedRequestLine_Is400()
    {
        var reply = await RawExchangeAsync("BROKEN\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedRequestHead_Is431()
    {
        var reply = await RawExchangeAsync("GET /metrics HTTP/1.1\r\nX-Filler: " + new string('a', 2000));

        Assert.StartsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SilentClient_IsDroppedAfterTheReadTimeout_WithoutBlockingScrapes()
    {
        await using var server = StartWithShortDeadline();
        using var silent = new TcpClient();
        await silent.ConnectAsync(server.LocalEndPoint);

        // While the silent connection is open, scrapes still work.
        using (var response = await _http.GetAsync(new Uri($"http://{server.LocalEndPoint}/metrics")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The server closes the silent connection after its deadline: the read sees end of stream.
        using var bounded = new CancellationTokenSource(s_bound);
        var buffer = new byte[64];
        var read = await silent.GetStream().ReadAsync(buffer, bounded.Token);
        Assert.Equal(0, read);
    }

    [Fact]
    public async Task ClientSendingAPartialRequest_IsDroppedToo()
    {
        await using var server = StartWithShortDeadline();
        using var slow = new TcpClient();
        await slow.ConnectAsync(server.LocalEndPoint);
        await slow.GetStream().WriteAsync("GET /metr"u8.ToArray());

        using var bounded = new CancellationTokenSource(s_bound);
        var read = await slow.GetStream().ReadAsync(new byte[64], bounded.Token);

        Assert.Equal(0, read);
    }

    [Fact]
    public async Task Dispose_StopsListening()
    {
        var endPoint = _server.LocalEndPoint;
        await _server.DisposeAsync();

        using var client = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(endPoint));
    }

    /// <summary>A second server on the same exporter whose connections must deliver their request within 300 ms.</summary>
    private MetricsHttpServer StartWithShortDeadline() =>
        MetricsHttpServer.Start(new IPEndPoint(IPAddress.Loopback, 0), _exporter, new MetricsHttpServerOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) });

    private async Task<string> RawExchangeAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_server.LocalEndPoint);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var bounded = new CancellationTokenSource(s_bound);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync(bounded.Token);
    }
}
