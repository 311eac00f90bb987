using AwgProxy.Tunnel.Client;
using AwgProxy.Tunnel.Protocol;
using AwgProxy.Tunnel.Tests.Doubles;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AwgProxy.Tunnel.Tests.Client;

/// <summary>
/// The client's connection management in virtual time: the client runs on a FakeTimeProvider, the
/// server and the upstream on real time and loopback sockets.
/// </summary>
public class TunnelClientTests
{
    private static readonly TimeSpan MinDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);
    private const double Jitter = 0.5;

    private static TunnelHarness Create(FakeTimeProvider time, TimeSpan? requestWait = null) =>
        TunnelHarness.Create(
            configureClient: o =>
            {
                o.ReconnectMinDelay = MinDelay;
                o.ReconnectMaxDelay = MaxDelay;
                o.ReconnectJitter = Jitter;
                o.RequestWaitTimeout = requestWait ?? TimeSpan.FromSeconds(60);
            },
            clientTime: time,
            random: new Random(1234));

    /// <summary>Lets the scheduled reconnect <paramref name="retry"/> happen; returns its delay.</summary>
    private static async Task<TimeSpan> AdvancePastRetryAsync(TunnelHarness harness, FakeTimeProvider time, int retry)
    {
        var scheduled = await harness.Logs.WaitForAsync("ReconnectScheduled", retry);
        Assert.Equal(retry.ToString(System.Globalization.CultureInfo.InvariantCulture), scheduled[retry - 1].State("Retry"));
        TimeSpan delay = TimeSpan.FromMilliseconds(scheduled[retry - 1].StateDouble("DelayMs"));
        time.Advance(delay + TimeSpan.FromMilliseconds(1));
        return delay;
    }

    [Fact]
    public async Task FailingConnects_BackOffExponentiallyWithJitterUpToTheCap()
    {
        var time = new FakeTimeProvider();
        await using var harness = Create(time);
        using var failures = new MetricCollector<long>(harness.Meters, TunnelClientMetrics.MeterName, "awgproxy.tunnel.client.connect_failures");
        harness.Factory.FailuresBeforeSuccess = 8;

        harness.Client.Start();
        var delays = new List<TimeSpan>();
        for (int retry = 1; retry <= 8; retry++)
        {
            await harness.Factory.WaitForAttemptsAsync(retry);
            delays.Add(await AdvancePastRetryAsync(harness, time, retry));
        }

        await harness.Factory.WaitForAttemptsAsync(9);
        await LogWaiter.WaitUntilAsync(() => harness.Client.IsConnected);

        TimeSpan[] nominal = [.. new[] { 100, 200, 400, 800, 1000, 1000, 1000, 1000 }.Select(ms => TimeSpan.FromMilliseconds(ms))];
        for (int i = 0; i < delays.Count; i++)
        {
            Assert.InRange(delays[i], nominal[i] * (1 - Jitter), nominal[i]);
        }

        Assert.True(delays.Distinct().Count() > 4, "jitter varies the delays");
        Assert.Equal(8, failures.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(0, harness.Client.ReconnectCount); // the first connection is not a reconnect
    }

    [Fact]
    public async Task DroppedConnection_ReconnectsByItselfAndIsCounted()
    {
        var time = new FakeTimeProvider();
        await using var harness = Create(time);
        using var reconnects = new MetricCollector<long>(harness.Meters, TunnelClientMetrics.MeterName, "awgproxy.tunnel.client.reconnects");
        using var connected = new MetricCollector<long>(harness.Meters, TunnelClientMetrics.MeterName, "awgproxy.tunnel.client.connected");
        harness.Client.Start();
        await LogWaiter.WaitUntilAsync(() => harness.Client.IsConnected);

        harness.Factory.Latest.Drop();
        await harness.Logs.WaitForAsync("ConnectionLost", 1);
        Assert.False(harness.Client.IsConnected);
        TimeSpan delay = await AdvancePastRetryAsync(harness, time, 1);
        await harness.Factory.WaitForAttemptsAsync(2);
        await LogWaiter.WaitUntilAsync(() => harness.Client.IsConnected);

        Assert.InRange(delay, MinDelay * (1 - Jitter), MinDelay);
        Assert.Equal(1, harness.Client.ReconnectCount);
        Assert.Equal(1, reconnects.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, connected.GetMeasurementSnapshot().EvaluateAsCounter()); // +1, -1, +1
        Assert.Single(await harness.Logs.WaitForAsync("Reconnected", 1));
    }

    [Fact]
    public async Task RequestsDuringAnOutage_SucceedOnceTheConnectionIsBack()
    {
        var time = new FakeTimeProvider();
        await using var upstream = TcpTestServer.Start();
        await using var harness = Create(time);
        harness.Factory.FailuresBeforeSuccess = 3;

        Task<TunnelOpenResult>[] waiting = [.. Enumerable.Range(0, 3).Select(_ => harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None))];
        for (int retry = 1; retry <= 3; retry++)
        {
            await harness.Factory.WaitForAttemptsAsync(retry);
            Assert.DoesNotContain(waiting, t => t.IsCompleted);
            await AdvancePastRetryAsync(harness, time, retry);
        }

        foreach (Task<TunnelOpenResult> request in waiting)
        {
            TunnelOpenResult result = await request.Bounded();
            Assert.Equal(TunnelStatus.Succeeded, result.Status);
            await result.Stream!.DisposeAsync();
        }
    }

    [Fact]
    public async Task RequestsWaitingLongerThanRequestWaitTimeout_FailWithGeneralFailure()
    {
        var time = new FakeTimeProvider();
        await using var harness = Create(time, requestWait: TimeSpan.FromSeconds(10));
        using var opens = new MetricCollector<long>(harness.Meters, TunnelClientMetrics.MeterName, "awgproxy.tunnel.client.stream_opens");
        harness.Factory.FailForever = true;

        Task<TunnelOpenResult> request = harness.Client.OpenAsync(TunnelDestination.FromHost("example.com", 443), CancellationToken.None);
        await harness.Factory.WaitForAttemptsAsync(1);
        time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.False(request.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        TunnelOpenResult result = await request.Bounded();

        Assert.Equal(TunnelStatus.GeneralFailure, result.Status);
        Assert.Null(result.Stream);
        Assert.Single(await harness.Logs.WaitForAsync("RequestWaitTimedOut", 1));
        var measurement = Assert.Single(opens.GetMeasurementSnapshot());
        Assert.Equal("general_failure", measurement.Tags["awgproxy.status"]);
    }

    [Fact]
    public async Task ServerThatNeverAnswers_GivesTtlExpiredAfterTheResponseTimeout()
    {
        var time = new FakeTimeProvider();
        await using var harness = Create(time);
        var accepted = new TaskCompletionSource<ITunnelStream>();
        harness.Factory.ServerBehaviour = async (server, ct) =>
        {
            ITunnelStream? stream = await server.AcceptStreamAsync(ct);
            accepted.TrySetResult(stream!);
        };

        Task<TunnelOpenResult> request = harness.Client.OpenAsync(TunnelDestination.FromHost("example.com", 443), CancellationToken.None);
        ITunnelStream serverSide = await accepted.Task.Bounded();
        await StreamIo.ReadExactlyAsync(serverSide, 3).Bounded(); // the request is on its way, so the response timer runs
        time.Advance(harness.ClientOptions.ResponseTimeout);
        TunnelOpenResult result = await request.Bounded();

        Assert.Equal(TunnelStatus.TtlExpired, result.Status);
        var aborted = await Assert.ThrowsAsync<TunnelStreamAbortedException>(() => StreamIo.ReadToEndAsync(serverSide).Bounded());
        Assert.Equal(TunnelErrorCode.ClientAborted, aborted.ErrorCode);
    }

    [Fact]
    public async Task MalformedResponse_IsGeneralFailureAndResetsTheStream()
    {
        var time = new FakeTimeProvider();
        await using var harness = Create(time);
        harness.Factory.ServerBehaviour = async (server, ct) =>
        {
            ITunnelStream? stream = await server.AcceptStreamAsync(ct);
            await stream!.WriteAsync(new byte[] { 0x05, 0x00 }, ct);
        };

        TunnelOpenResult result = await harness.Client.OpenAsync(TunnelDestination.FromHost("example.com", 443), CancellationToken.None).Bounded();

        Assert.Equal(TunnelStatus.GeneralFailure, result.Status);
        Assert.Single(await harness.Logs.WaitForAsync("InvalidResponse", 1));
    }

    [Fact]
    public async Task ServerResetInsteadOfAnswer_IsGeneralFailure()
    {
        var time = new FakeTimeProvider();
        await using var harness = Create(time);
        harness.Factory.ServerBehaviour = async (server, ct) =>
        {
            ITunnelStream? stream = await server.AcceptStreamAsync(ct);
            stream!.Abort(TunnelAbortDirection.Both, TunnelErrorCode.ProtocolError);
        };

        TunnelOpenResult result = await harness.Client.OpenAsync(TunnelDestination.FromHost("example.com", 443), CancellationToken.None).Bounded();

        Assert.Equal(TunnelStatus.GeneralFailure, result.Status);
    }

    [Fact]
    public async Task ConnectionClosedWhileOpening_IsRetriedOnTheNextConnection()
    {
        var time = new FakeTimeProvider();
        await using var upstream = TcpTestServer.Start();
        await using var harness = Create(time);
        var realServer = harness.Server;
        int connections = 0;
        harness.Factory.ServerBehaviour = async (server, ct) =>
        {
            if (Interlocked.Increment(ref connections) == 1)
            {
                // The first connection dies as soon as the first stream arrives.
                ITunnelStream? stream = await server.AcceptStreamAsync(ct);
                await StreamIo.ReadExactlyAsync(stream!, 1);
                server.Drop();
                return;
            }

            await realServer.HandleConnectionAsync(server, ct);
        };

        Task<TunnelOpenResult> request = harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None);
        await harness.Logs.WaitForAsync("ConnectionLost", 1);
        await AdvancePastRetryAsync(harness, time, 1);
        TunnelOpenResult result = await request.Bounded();

        Assert.Equal(TunnelStatus.Succeeded, result.Status);
        Assert.Equal(2, harness.Factory.Attempts);
        await result.Stream!.DisposeAsync();
    }

    [Fact]
    public async Task Dispose_FailsWaitingRequestsAndClosesTheConnection()
    {
        var time = new FakeTimeProvider();
        var harness = Create(time);
        harness.Client.Start();
        await LogWaiter.WaitUntilAsync(() => harness.Client.IsConnected);
        InMemoryTunnelConnection connection = harness.Factory.Latest;

        await harness.Client.DisposeAsync();

        Assert.True(connection.IsClosed);
        Assert.Equal(TunnelErrorCode.NoError, connection.CloseCode);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => harness.Client.OpenAsync(TunnelDestination.FromHost("example.com", 1), CancellationToken.None));
        await harness.DisposeAsync();
    }
}
