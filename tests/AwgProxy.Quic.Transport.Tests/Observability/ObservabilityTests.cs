using AwgProxy.Quic.Transport.Tests.Support;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AwgProxy.Quic.Transport.Tests.Observability;

public class ObservabilityTests
{
    [Fact]
    public async Task Handshake_IsCountedTimedAndLogged_OnBothSides()
    {
        using var meters = new TestMeterFactory();
        using var handshakes = new MetricCollector<long>(meters, QuicMetrics.MeterName, QuicMetrics.HandshakesName);
        using var durations = new MetricCollector<double>(meters, QuicMetrics.MeterName, QuicMetrics.HandshakeDurationName);
        using var connections = new MetricCollector<long>(meters, QuicMetrics.MeterName, QuicMetrics.ConnectionsName);
        using var sent = new MetricCollector<long>(meters, QuicMetrics.MeterName, QuicMetrics.SentName);
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(logs)));

        QuicListenerOptions listenerOptions = TestPeers.Listener();
        listenerOptions.MeterFactory = meters;
        listenerOptions.LoggerFactory = loggerFactory;
        ConnectedPair pair = await ConnectedPair.CreateAsync(listenerOptions, null, o =>
        {
            o.MeterFactory = meters;
            o.LoggerFactory = loggerFactory;
        });

        await using (pair)
        {
            Assert.Contains(handshakes.GetMeasurementSnapshot(), m => m.Value == 1 && Equals(m.Tags["role"], "client") && Equals(m.Tags["result"], "succeeded"));
            Assert.Contains(handshakes.GetMeasurementSnapshot(), m => m.Value == 1 && Equals(m.Tags["role"], "server") && Equals(m.Tags["result"], "succeeded"));
            Assert.Equal(2, durations.GetMeasurementSnapshot().Count);
            Assert.Equal(2, connections.GetMeasurementSnapshot().Sum(m => m.Value));
            Assert.True(sent.GetMeasurementSnapshot().Sum(m => m.Value) > 1200);
            Assert.Contains(logs.GetSnapshot(), r => r.Id.Id == 4 && r.Message.Contains("awgproxy-test", StringComparison.Ordinal));
            await pair.Client.CloseAsync(0);
            await pair.Server.Closed.WaitAsync(TestPeers.Bound);
        }

        Assert.Equal(0, connections.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Contains(logs.GetSnapshot(), r => r.Id.Id == 6 && r.Message.Contains("packets lost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailedHandshake_IsCountedWithItsReason()
    {
        using var meters = new TestMeterFactory();
        using var handshakes = new MetricCollector<long>(meters, QuicMetrics.MeterName, QuicMetrics.HandshakesName);
        await using QuicListener listener = await QuicListener.ListenAsync(TestPeers.Listener());

        await Assert.ThrowsAsync<QuicException>(() => QuicConnection.ConnectAsync(TestPeers.Client(
            listener.LocalEndPoint, pin: Quic.Tls.Certificates.Ed25519KeyPair.Generate().PublicKey, configure: o => o.MeterFactory = meters)).AsTask().WaitAsync(TestPeers.Bound));

        Assert.Contains(handshakes.GetMeasurementSnapshot(), m => Equals(m.Tags["result"], "failed") && Equals(m.Tags["reason"], "tls"));
    }
}
