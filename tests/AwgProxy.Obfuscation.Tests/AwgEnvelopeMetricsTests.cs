using System.Diagnostics.Metrics;
using AwgProxy.Obfuscation.Tests.Support;
using AwgProxy.Quic.Transport.Paths;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace AwgProxy.Obfuscation.Tests;

public class AwgEnvelopeMetricsTests
{
    [Fact]
    public async Task Metrics_CountDropsByReason_AndDatagramsByClassAndKind()
    {
        using var serverMeters = new TestMeterFactory();
        using var clientMeters = new TestMeterFactory();
        using var dropped = new MetricCollector<long>(serverMeters, AwgEnvelopeMetrics.MeterName, AwgEnvelopeMetrics.DroppedName);
        using var received = new MetricCollector<long>(serverMeters, AwgEnvelopeMetrics.MeterName, AwgEnvelopeMetrics.DatagramsReceivedName);
        using var sent = new MetricCollector<long>(clientMeters, AwgEnvelopeMetrics.MeterName, AwgEnvelopeMetrics.DatagramsSentName);
        using var junk = new MetricCollector<long>(clientMeters, AwgEnvelopeMetrics.MeterName, AwgEnvelopeMetrics.JunkSentName);
        var profile = Profiles.Realistic();
        await using var pair = EnvelopePair.Create(profile, serverMeters: serverMeters, clientMeters: clientMeters);
        var prober = pair.CreateRawPath();

        for (var i = 0; i < 3; i++)
        {
            await PathIo.SendAsync(prober, pair.ServerEndPoint, new byte[10]);
        }

        await PathIo.SendAsync(prober, pair.ServerEndPoint, QuicSamples.Initial());
        await PathIo.SendAsync(prober, pair.ServerEndPoint, QuicSamples.Handshake());
        await PathIo.SendAsync(prober, pair.ServerEndPoint, AwgDatagramClassifierTests.Wrap(profile, 1, 1020325451, QuicSamples.Short()));
        await PathIo.SendAsync(pair.Client, pair.ServerEndPoint, [new(QuicSamples.Initial(), DatagramFlags.ClientHello), new(QuicSamples.Short())]);
        await PathIo.ReceiveAsync(pair.Server, 2);

        // The client's own burst reaches the server too: I1 (29 bytes, header out of range), I2 (18 bytes,
        // too short) and four junk datagrams of 40-70 bytes (headers out of range).
        Assert.Equal(
            new Dictionary<string, long> { ["too_short"] = 3 + 1, ["header_out_of_range"] = 2 + 1 + 4, ["implausible_first_byte"] = 1 },
            SumBy(dropped, AwgEnvelopeMetrics.ReasonTag));
        Assert.Equal(
            new Dictionary<string, long> { ["initiation"] = 1, ["transport"] = 1 },
            SumBy(received, AwgEnvelopeMetrics.ClassTag));
        Assert.Equal(
            new Dictionary<string, long> { ["initiation"] = 1, ["transport"] = 1 },
            SumBy(sent, AwgEnvelopeMetrics.ClassTag));
        Assert.Equal(
            new Dictionary<string, long> { ["i_packet"] = 2, ["junk"] = 4 },
            SumBy(junk, AwgEnvelopeMetrics.KindTag));

        foreach (var reason in Enum.GetValues<AwgDropReason>())
        {
            Assert.Equal(SumBy(dropped, AwgEnvelopeMetrics.ReasonTag)[AwgEnvelopeMetrics.ReasonName(reason)], pair.Server.GetDropCount(reason));
        }
    }

    [Fact]
    public async Task EnvelopesSharingAMeterFactory_ShareOneSetOfInstruments()
    {
        using var meters = new TestMeterFactory();
        using var dropped = new MetricCollector<long>(meters, AwgEnvelopeMetrics.MeterName, AwgEnvelopeMetrics.DroppedName);
        var published = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) => published += instrument.Meter.Scope == meters && instrument.Name == AwgEnvelopeMetrics.DroppedName ? 1 : 0,
        };
        listener.Start();
        var network = new InMemoryDatagramNetwork();
        var profile = Profiles.Defaults();
        await using var first = new AwgEnvelopePath(network.CreatePath(), AwgEnvelopeRole.Server, profile, AmneziaWG.SystemRandomSource.Instance, TimeProvider.System, meterFactory: meters);
        await using var second = new AwgEnvelopePath(network.CreatePath(), AwgEnvelopeRole.Server, profile, AmneziaWG.SystemRandomSource.Instance, TimeProvider.System, meterFactory: meters);
        var prober = network.CreatePath();
        await using var client = new AwgEnvelopePath(network.CreatePath(), AwgEnvelopeRole.Client, profile, AmneziaWG.SystemRandomSource.Instance, TimeProvider.System);

        foreach (var server in new[] { first, second })
        {
            await PathIo.SendAsync(prober, server.LocalEndPoint, new byte[3]);
            await PathIo.SendAsync(client, server.LocalEndPoint, QuicSamples.Short());
            await PathIo.ReceiveAsync(server, 1);
        }

        Assert.Equal(2, dropped.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, published);
    }

    private static Dictionary<string, long> SumBy(MetricCollector<long> collector, string tag) =>
        collector.GetMeasurementSnapshot()
            .GroupBy(m => (string)m.Tags[tag]!)
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
}
