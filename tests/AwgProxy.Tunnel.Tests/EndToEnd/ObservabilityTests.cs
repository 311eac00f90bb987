using System.Net.Sockets;
using System.Text;
using AwgProxy.Tunnel.Client;
using AwgProxy.Tunnel.Protocol;
using AwgProxy.Tunnel.Server;
using AwgProxy.Tunnel.Tests.Doubles;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AwgProxy.Tunnel.Tests.EndToEnd;

public class ObservabilityTests
{
    [Fact]
    public async Task OneSession_IsCountedByServerAndClientMetrics()
    {
        await using var upstream = TcpTestServer.Start();
        await using var harness = TunnelHarness.Create();
        using var serverBytes = new MetricCollector<long>(harness.Meters, TunnelServerMetrics.MeterName, "awgproxy.tunnel.server.transferred");
        using var serverActive = new MetricCollector<long>(harness.Meters, TunnelServerMetrics.MeterName, "awgproxy.tunnel.server.active_sessions");
        using var dials = new MetricCollector<long>(harness.Meters, TunnelServerMetrics.MeterName, "awgproxy.tunnel.server.dials");
        using var serverOpen = new MetricCollector<double>(harness.Meters, TunnelServerMetrics.MeterName, "awgproxy.tunnel.server.stream_open.duration");
        using var clientBytes = new MetricCollector<long>(harness.Meters, TunnelClientMetrics.MeterName, "awgproxy.tunnel.client.transferred");
        using var clientActive = new MetricCollector<long>(harness.Meters, TunnelClientMetrics.MeterName, "awgproxy.tunnel.client.active_sessions");
        using var clientOpens = new MetricCollector<long>(harness.Meters, TunnelClientMetrics.MeterName, "awgproxy.tunnel.client.stream_opens");
        using var clientOpenLatency = new MetricCollector<double>(harness.Meters, TunnelClientMetrics.MeterName, "awgproxy.tunnel.client.stream_open.duration");
        byte[] up = StreamIo.RandomBytes(100_000, 1);
        byte[] down = StreamIo.RandomBytes(70_000, 2);

        TunnelOpenResult open = await harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None).Bounded();
        ITunnelStream stream = open.Stream!;
        using (Socket socket = await upstream.AcceptAsync())
        {
            Assert.Equal(1, clientActive.GetMeasurementSnapshot().EvaluateAsCounter());
            await stream.WriteAsync(up);
            stream.CompleteWrites();
            await StreamIo.ReceiveToEndAsync(socket).Bounded();
            await StreamIo.SendAllAsync(socket, down);
            socket.Shutdown(SocketShutdown.Send);
            await StreamIo.ReadToEndAsync(stream).Bounded();
        }

        await stream.DisposeAsync();
        await harness.WaitForServerIdleAsync();

        Assert.Equal(up.Length, Sum(serverBytes, "awgproxy.direction", "upstream"));
        Assert.Equal(down.Length, Sum(serverBytes, "awgproxy.direction", "downstream"));
        Assert.All(serverBytes.GetMeasurementSnapshot(), m => Assert.Equal("alice", m.Tags["awgproxy.client"]));
        Assert.Equal(0, serverActive.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(2, serverActive.GetMeasurementSnapshot().Count); // +1 then -1
        var dial = Assert.Single(dials.GetMeasurementSnapshot());
        Assert.Equal("succeeded", dial.Tags["awgproxy.status"]);
        Assert.Single(serverOpen.GetMeasurementSnapshot());

        Assert.Equal(up.Length, Sum(clientBytes, "awgproxy.direction", "upstream"));
        Assert.Equal(down.Length, Sum(clientBytes, "awgproxy.direction", "downstream"));
        Assert.Equal(0, clientActive.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal("succeeded", Assert.Single(clientOpens.GetMeasurementSnapshot()).Tags["awgproxy.status"]);
        Assert.True(Assert.Single(clientOpenLatency.GetMeasurementSnapshot()).Value >= 0);
    }

    [Fact]
    public async Task Refusals_AreCountedByStatusLimitAndVerdict()
    {
        await using var upstream = TcpTestServer.Start();
        await using var harness = TunnelHarness.Create(o =>
        {
            o.MaxStreamsPerClient = 1;
            o.Egress.AllowLoopback = false;
            o.Egress.AllowedNetworks = ["127.0.0.1/32"];
        });
        using var limits = new MetricCollector<long>(harness.Meters, TunnelServerMetrics.MeterName, "awgproxy.tunnel.server.limit_hits");
        using var refusals = new MetricCollector<long>(harness.Meters, TunnelServerMetrics.MeterName, "awgproxy.tunnel.server.egress_refusals");
        using var dials = new MetricCollector<long>(harness.Meters, TunnelServerMetrics.MeterName, "awgproxy.tunnel.server.dials");

        TunnelOpenResult held = await harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None).Bounded();
        TunnelOpenResult overLimit = await harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None).Bounded();
        await held.Stream!.DisposeAsync();
        await harness.WaitForServerIdleAsync();
        TunnelOpenResult refused = await harness.Client.OpenAsync(TunnelDestination.FromAddress(System.Net.IPAddress.Parse("127.0.0.2"), upstream.Port), CancellationToken.None).Bounded();

        Assert.Equal(TunnelStatus.Succeeded, held.Status);
        Assert.Equal(TunnelStatus.NotAllowedByRuleset, overLimit.Status);
        Assert.Equal(TunnelStatus.NotAllowedByRuleset, refused.Status);
        var limit = Assert.Single(limits.GetMeasurementSnapshot());
        Assert.Equal(TunnelServer.StreamsPerClientLimit, limit.Tags["awgproxy.limit"]);
        Assert.Equal("alice", limit.Tags["awgproxy.client"]);
        Assert.Equal("Loopback", Assert.Single(refusals.GetMeasurementSnapshot()).Tags["awgproxy.verdict"]);
        Assert.Equal(["succeeded", "not_allowed"], dials.GetMeasurementSnapshot().Select(m => (string)m.Tags["awgproxy.status"]!));
        Assert.Single(await harness.Logs.WaitForAsync("StreamLimitReached", 1));
        Assert.Single(await harness.Logs.WaitForAsync("EgressRefused", 1));
    }

    [Fact]
    public async Task Logs_NeverContainPayload_AndDestinationsOnlyAtDebug()
    {
        const string Marker = "PAYLOAD-MARKER-5f1d9c";
        await using var upstream = TcpTestServer.Start();
        await using var harness = TunnelHarness.Create();
        byte[] payload = Encoding.ASCII.GetBytes(Marker);

        TunnelOpenResult open = await harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None).Bounded();
        await using (ITunnelStream stream = open.Stream!)
        {
            var (relayEnd, application) = InMemoryTunnelStream.CreatePair();
            Task<AwgProxy.Tunnel.Relay.RelayResult> relay = harness.Client.RelayAsync(stream, relayEnd, CancellationToken.None);
            using Socket socket = await upstream.AcceptAsync();
            await application.WriteAsync(payload);
            application.CompleteWrites();
            await StreamIo.ReceiveToEndAsync(socket).Bounded();
            await StreamIo.SendAllAsync(socket, payload);
            socket.Shutdown(SocketShutdown.Send);
            await StreamIo.ReadToEndAsync(application).Bounded();
            await relay.Bounded();
        }

        // A failing session too, and a refused one, so error paths log as well.
        await harness.Client.OpenAsync(TunnelDestination.FromAddress(System.Net.IPAddress.Loopback, TcpTestServer.GetClosedPort()), CancellationToken.None).Bounded();
        await harness.WaitForServerIdleAsync();
        await harness.Logs.WaitForAsync("SessionClosed", 2); // server's and client's

        IReadOnlyList<FakeLogRecord> records = harness.Logs.GetSnapshot();
        Assert.Contains(records, r => r.Id.Name == "DialResult"); // the check below has something to look at
        string destination = $"127.0.0.1:{upstream.Port}";
        foreach (FakeLogRecord record in records)
        {
            string text = Render(record);
            Assert.DoesNotContain(Marker, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(payload), text, StringComparison.OrdinalIgnoreCase);
            if (text.Contains(destination, StringComparison.Ordinal))
            {
                Assert.True(record.Level <= LogLevel.Debug, $"destination logged at {record.Level}: {record.Message}");
            }
        }
    }

    private static long Sum(MetricCollector<long> collector, string tag, string value) =>
        collector.GetMeasurementSnapshot().Where(m => (string?)m.Tags[tag] == value).Sum(m => m.Value);

    private static string Render(FakeLogRecord record) =>
        record.Message + " " + record.Exception + " " +
        string.Join(" ", record.StructuredState?.Select(kv => kv.Key + "=" + kv.Value) ?? []);
}
