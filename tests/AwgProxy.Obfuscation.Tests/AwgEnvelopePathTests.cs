using System.Buffers.Binary;
using System.Net;
using AwgProxy.AmneziaWG;
using AwgProxy.Obfuscation.Tests.Support;
using AwgProxy.Quic;
using AwgProxy.Quic.Transport.Paths;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AwgProxy.Obfuscation.Tests;

public class AwgEnvelopePathTests
{
    private static readonly IPEndPoint s_peer = new(IPAddress.Loopback, 5555);

    [Fact]
    public async Task EveryClass_RoundTripsInBothDirections()
    {
        await using var pair = EnvelopePair.Create(Profiles.Realistic());
        byte[][] fromClient = [QuicSamples.Initial(), QuicSamples.Handshake(), QuicSamples.ZeroRtt(), QuicSamples.Short()];
        byte[][] fromServer = [QuicSamples.Initial(seed: 9), QuicSamples.Handshake(seed: 9), QuicSamples.Retry(seed: 9), QuicSamples.Short(seed: 9)];

        await PathIo.SendAsync(pair.Client, pair.ServerEndPoint,
            [new(fromClient[0], DatagramFlags.ClientHello), new(fromClient[1]), new(fromClient[2]), new(fromClient[3])]);
        var atServer = await PathIo.ReceiveAsync(pair.Server, fromClient.Length);
        await PathIo.SendAsync(pair.Server, atServer[0].From, [.. fromServer.Select(d => new Outgoing(d))]);
        var atClient = await PathIo.ReceiveAsync(pair.Client, fromServer.Length);

        Assert.Equal(fromClient, atServer.Select(r => r.Payload));
        Assert.All(atServer, r => Assert.Equal(pair.ClientEndPoint, r.From));
        Assert.Equal(fromServer, atClient.Select(r => r.Payload));
        Assert.All(atClient, r => Assert.Equal(pair.ServerEndPoint, r.From));

        Assert.Equal((1L, 0L, 0L, 3L), SentCounts(pair.Client));
        Assert.Equal((0L, 2L, 1L, 1L), SentCounts(pair.Server));
        Assert.Equal((1L, 0L, 0L, 3L), ReceivedCounts(pair.Server));
        Assert.Equal((0L, 2L, 1L, 1L), ReceivedCounts(pair.Client));
        Assert.Equal((2L, 4L, 2L + 4L + 4L), (pair.Client.IPacketsSent, pair.Client.JunkSent, pair.Client.DatagramsSent));
        Assert.Equal((0L, 0L, 4L), (pair.Server.IPacketsSent, pair.Server.JunkSent, pair.Server.DatagramsSent));

        // The server saw and dropped the client's I-packets and junk; the client dropped nothing.
        Assert.Equal(2 + 4, pair.Server.DroppedTotal);
        Assert.Equal(0, pair.Client.DroppedTotal);
    }

    [Fact]
    public async Task ReceivedBatch_KeepsOurDatagramsInOrderAtTheFront_WithoutCopying()
    {
        var profile = Profiles.Realistic();
        var inner = new RecordingPath();
        await using var server = new AwgEnvelopePath(inner, AwgEnvelopeRole.Server, profile, SystemRandomSource.Instance, TimeProvider.System);
        var first = AwgDatagramClassifierTests.Wrap(profile, 1, 1020325470, QuicSamples.Initial());
        var second = AwgDatagramClassifierTests.Wrap(profile, 4, 1357924681, QuicSamples.Short(length: 100));
        var third = AwgDatagramClassifierTests.Wrap(profile, 4, 1357999999, QuicSamples.Handshake(length: 300));
        var senders = Enumerable.Range(0, 7).Select(i => new IPEndPoint(IPAddress.Loopback, 7000 + i)).ToArray();
        inner.Enqueue(new byte[64], senders[0]);
        inner.Enqueue(first, senders[1]);
        inner.Enqueue(QuicSamples.Initial(), senders[2]);
        inner.Enqueue([1, 2, 3], senders[3]);
        inner.Enqueue(second, senders[4]);
        inner.Enqueue(third, senders[5]);
        inner.Enqueue(new byte[700], senders[6]);

        var batch = new DatagramBatch(16, PathIo.SlotSize);
        var count = await server.ReceiveBatchAsync(batch, CancellationToken.None);

        Assert.Equal(3, count);
        Assert.Equal(QuicSamples.Initial(), batch.GetPayloadSpan(0).ToArray());
        Assert.Equal(QuicSamples.Short(length: 100), batch.GetPayloadSpan(1).ToArray());
        Assert.Equal(QuicSamples.Handshake(length: 300), batch.GetPayloadSpan(2).ToArray());
        Assert.Equal([37 + 4, 23 + 4, 23 + 4], new[] { batch.GetOffset(0), batch.GetOffset(1), batch.GetOffset(2) });
        Assert.Equal([senders[1], senders[4], senders[5]], Enumerable.Range(0, 3).Select(i => PathIo.ToEndPoint(batch.GetAddress(i))));
        Assert.Equal(4, server.DroppedTotal);
    }

    [Fact]
    public async Task BlockingReceive_OverUdp_UnwrapsOursAndDropsTheRest_LikeTheAsynchronousReceive()
    {
        var profile = Profiles.Realistic();
        await using var client = new AwgEnvelopePath(UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0)), AwgEnvelopeRole.Client, profile, SystemRandomSource.Instance, TimeProvider.System);
        await using var server = new AwgEnvelopePath(UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0)), AwgEnvelopeRole.Server, profile, SystemRandomSource.Instance, TimeProvider.System);
        await using var recording = new AwgEnvelopePath(new RecordingPath(), AwgEnvelopeRole.Server, profile, SystemRandomSource.Instance, TimeProvider.System);
        Assert.False(recording.SupportsBlockingReceive);
        Assert.Throws<NotSupportedException>(() => recording.ReceiveBatch(new DatagramBatch(1, PathIo.SlotSize), 0));
        Assert.Equal(OperatingSystem.IsLinux(), server.SupportsBlockingReceive);
        if (!server.SupportsBlockingReceive) return;

        // The client's first datagram is a ClientHello: I-packets and junk go first, and the server drops them.
        byte[][] sent = [QuicSamples.Initial(), QuicSamples.Short(length: 200), QuicSamples.Short(seed: 3, length: 900)];
        await PathIo.SendAsync(client, server.LocalEndPoint, [new(sent[0], DatagramFlags.ClientHello), new(sent[1]), new(sent[2])]);

        var batch = new DatagramBatch(16, PathIo.SlotSize);
        var received = new List<byte[]>();
        for (var calls = 0; received.Count < sent.Length && calls < 100; calls++)
        {
            var count = server.ReceiveBatch(batch, (int)PathIo.Bound.TotalMilliseconds);
            for (var i = 0; i < count; i++)
            {
                received.Add(batch.GetPayloadSpan(i).ToArray());
                Assert.Equal(client.LocalEndPoint, PathIo.ToEndPoint(batch.GetAddress(i)));
            }
        }

        Assert.Equal(sent, received);
        Assert.Equal(client.IPacketsSent + client.JunkSent, server.DroppedTotal);
        Assert.Equal(0, server.ReceiveBatch(batch, 10));
    }

    [Fact]
    public async Task MaxDatagramSize_IsTheWireLimitMinusTheLargestEnvelopeTheRoleSends()
    {
        var profile = Profiles.Realistic(); // S1 = 37, S2 = 18, S3 = 20, S4 = 23
        var budget = new WireSizeBudget(Profiles.WireMtu, 37, 18, 20, 23);
        await using var client = new AwgEnvelopePath(new RecordingPath(), AwgEnvelopeRole.Client, profile, SystemRandomSource.Instance, TimeProvider.System);
        await using var server = new AwgEnvelopePath(new RecordingPath(), AwgEnvelopeRole.Server, profile, SystemRandomSource.Instance, TimeProvider.System);

        Assert.Equal(1452 - 37 - 4, client.MaxDatagramSize);
        Assert.Equal(Math.Min(budget.QuicCapacity(AwgMessageClass.Initiation), budget.QuicCapacity(AwgMessageClass.Transport)), client.MaxDatagramSize);
        Assert.Equal(1452 - 23 - 4, server.MaxDatagramSize);
        Assert.Equal(budget.QuicCapacity(AwgMessageClass.Transport), server.MaxDatagramSize);
        Assert.Equal(1452, client.WireMaxDatagramSize);
    }

    [Fact]
    public async Task DatagramsOfMaxDatagramSize_FillAtMostTheWireLimit()
    {
        var profile = Profiles.Realistic();
        var inner = new RecordingPath();
        await using var client = new AwgEnvelopePath(inner, AwgEnvelopeRole.Client, profile, SystemRandomSource.Instance, TimeProvider.System);

        await PathIo.SendAsync(client, s_peer, [new(QuicSamples.Initial(client.MaxDatagramSize)), new(QuicSamples.Short(client.MaxDatagramSize))]);

        Assert.Equal([1452, 1452 - 37 + 23], inner.Sent.Select(d => d.Length));
    }

    [Fact]
    public async Task OversizedDatagram_IsRejectedBeforeAnythingIsSent()
    {
        var inner = new RecordingPath();
        await using var client = new AwgEnvelopePath(inner, AwgEnvelopeRole.Client, Profiles.Realistic(), SystemRandomSource.Instance, TimeProvider.System);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            PathIo.SendAsync(client, s_peer, [new(QuicSamples.Short()), new(QuicSamples.Short(client.MaxDatagramSize + 1))]));

        Assert.Contains("Datagram 1 is 1412 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at most 1411 bytes of QUIC", ex.Message, StringComparison.Ordinal);
        Assert.Empty(inner.SendCalls);
        Assert.Equal(0, client.DatagramsSent);
    }

    [Fact]
    public void WireLimitTooSmallForQuic_IsRejectedWithTheNumbers()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new AwgEnvelopePath(new RecordingPath(1240), AwgEnvelopeRole.Client, Profiles.Realistic(), SystemRandomSource.Instance, TimeProvider.System));

        Assert.Contains("1240-byte wire limit leaves 1199 bytes of QUIC in a class 1 datagram (S1 = 37", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JunkLargerThanTheInnerWireLimit_IsRejected()
    {
        var options = Profiles.RealisticOptions();
        options.Jmax = 1460;
        var profile = AwgProfile.Create(options, 1472);

        var ex = Assert.Throws<ArgumentException>(() =>
            new AwgEnvelopePath(new RecordingPath(1452), AwgEnvelopeRole.Client, profile, SystemRandomSource.Instance, TimeProvider.System));

        Assert.Contains("Jmax = 1460", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefaultProfile_PutsWireGuardTypes1To4InFront_AndStillRoundTrips()
    {
        var profile = Profiles.Defaults();
        var clientWire = new RecordingPath();
        var serverWire = new RecordingPath();
        await using var client = new AwgEnvelopePath(clientWire, AwgEnvelopeRole.Client, profile, SystemRandomSource.Instance, TimeProvider.System);
        await using var server = new AwgEnvelopePath(serverWire, AwgEnvelopeRole.Server, profile, SystemRandomSource.Instance, TimeProvider.System);

        await PathIo.SendAsync(client, s_peer, [new(QuicSamples.Initial(), DatagramFlags.ClientHello), new(QuicSamples.Short())]);
        await PathIo.SendAsync(server, s_peer, [new(QuicSamples.Initial()), new(QuicSamples.Handshake()), new(QuicSamples.Retry()), new(QuicSamples.Short())]);

        Assert.Equal(
            [Hex([1, 0, 0, 0], QuicSamples.Initial()), Hex([4, 0, 0, 0], QuicSamples.Short())],
            clientWire.Sent.Select(d => Hex(d)));
        Assert.Equal(
            [Hex([2, 0, 0, 0], QuicSamples.Initial()), Hex([2, 0, 0, 0], QuicSamples.Handshake()), Hex([3, 0, 0, 0], QuicSamples.Retry()), Hex([4, 0, 0, 0], QuicSamples.Short())],
            serverWire.Sent.Select(d => Hex(d)));
        Assert.Equal((1448, 1448), (client.MaxDatagramSize, server.MaxDatagramSize));

        await using var pair = EnvelopePair.Create(profile);
        await PathIo.SendAsync(pair.Client, pair.ServerEndPoint, QuicSamples.Initial(), DatagramFlags.ClientHello);
        var atServer = await PathIo.ReceiveAsync(pair.Server, 1);
        await PathIo.SendAsync(pair.Server, atServer[0].From, QuicSamples.Retry());
        var atClient = await PathIo.ReceiveAsync(pair.Client, 1);
        Assert.Equal(QuicSamples.Initial(), atServer[0].Payload);
        Assert.Equal(QuicSamples.Retry(), atClient[0].Payload);
    }

    [Fact]
    public async Task ServerWithClientOnlySettings_WarnsOnce_AndNeverSendsJunk()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = CreateLoggerFactory(logs);
        var inner = new RecordingPath();
        await using var server = new AwgEnvelopePath(inner, AwgEnvelopeRole.Server, Profiles.Realistic(), SystemRandomSource.Instance, TimeProvider.System, loggerFactory);

        await PathIo.SendAsync(server, s_peer, QuicSamples.Initial(), DatagramFlags.ClientHello);
        await PathIo.SendAsync(server, s_peer, QuicSamples.Handshake(), DatagramFlags.ClientHello);

        var warnings = logs.GetSnapshot().Where(r => r.Level == LogLevel.Warning).ToList();
        var warning = Assert.Single(warnings);
        Assert.Equal(2, warning.Id.Id);
        Assert.Equal("ClientOnlySettingsIgnored", warning.Id.Name);
        Assert.Equal("4", warning.GetStructuredStateValue("Jc"));
        Assert.Equal("2", warning.GetStructuredStateValue("IPacketCount"));
        Assert.Equal(2, inner.Sent.Count());
        Assert.Equal((0L, 0L), (server.IPacketsSent, server.JunkSent));
    }

    [Fact]
    public async Task ClientWithoutJunkSettings_LogsNoWarning()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = CreateLoggerFactory(logs);

        await using var client = new AwgEnvelopePath(new RecordingPath(), AwgEnvelopeRole.Client, Profiles.Realistic(), SystemRandomSource.Instance, TimeProvider.System, loggerFactory);
        await using var server = new AwgEnvelopePath(new RecordingPath(), AwgEnvelopeRole.Server, Profiles.Defaults(), SystemRandomSource.Instance, TimeProvider.System, loggerFactory);

        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task LongBurst_GoesOutInChunks_InOrder_WithTheClientHellosEcn()
    {
        var options = Profiles.RealisticOptions();
        options.Jc = 100;
        options.Jmin = 10;
        options.Jmax = 90;
        options.I3 = "<r 3>";
        options.I4 = "<r 4>";
        options.I5 = "<r 5>";
        var inner = new RecordingPath();
        await using var client = new AwgEnvelopePath(inner, AwgEnvelopeRole.Client, AwgProfile.Create(options, Profiles.WireMtu), SystemRandomSource.Instance, TimeProvider.System);

        await PathIo.SendAsync(client, s_peer,
        [
            new(QuicSamples.Short(seed: 1)),
            new(QuicSamples.Initial(), DatagramFlags.ClientHello, EcnCodepoint.Ect0),
            new(QuicSamples.Short(seed: 2), Ecn: EcnCodepoint.Ect1),
        ]);

        Assert.True(client.SupportsEcn);
        Assert.Equal([AwgEnvelopePath.SendChunkSize, 108 - AwgEnvelopePath.SendChunkSize], inner.SendCalls.Select(c => c.Count));
        var sent = inner.SendCalls.SelectMany(c => c).ToList();
        Assert.All(sent, d => Assert.Equal(s_peer, d.To));
        Assert.Equal(QuicSamples.Short(seed: 1), sent[0].Payload[(23 + 4)..]);
        Assert.Equal([29, 18, 3, 4, 5], sent.Skip(1).Take(5).Select(d => d.Payload.Length));
        Assert.All(sent.Skip(6).Take(100), d => Assert.InRange(d.Payload.Length, 10, 90));
        Assert.Equal(QuicSamples.Initial(), sent[106].Payload[(37 + 4)..]);
        Assert.Equal(QuicSamples.Short(seed: 2), sent[107].Payload[(23 + 4)..]);
        Assert.Equal(
            [EcnCodepoint.NotEct, .. Enumerable.Repeat(EcnCodepoint.Ect0, 106), EcnCodepoint.Ect1],
            sent.Select(d => d.Ecn));
        Assert.Equal((5L, 100L, 108L), (client.IPacketsSent, client.JunkSent, client.DatagramsSent));
    }

    [Fact]
    public async Task CounterTag_IsTheNumberOfDatagramsSentBefore_JunkIncluded()
    {
        var options = new AwgOptions { Jc = 2, Jmin = 8, Jmax = 8, I1 = "<c>", I3 = "<b 0x99><c>" };
        var inner = new RecordingPath();
        await using var client = new AwgEnvelopePath(inner, AwgEnvelopeRole.Client, AwgProfile.Create(options, Profiles.WireMtu), SystemRandomSource.Instance, TimeProvider.System);

        await PathIo.SendAsync(client, s_peer, [new(QuicSamples.Short()), new(QuicSamples.Short()), new(QuicSamples.Short())]);
        await PathIo.SendAsync(client, s_peer, QuicSamples.Initial(), DatagramFlags.ClientHello);
        await PathIo.SendAsync(client, s_peer, QuicSamples.Initial(), DatagramFlags.ClientHello);

        var sent = inner.Sent.ToList();
        // 3 transport, then [I1 I3 junk junk initiation] twice.
        Assert.Equal(3 + 5 + 5, sent.Count);
        Assert.Equal("00000003", Hex(sent[3]));
        Assert.Equal("9900000004", Hex(sent[4]));
        Assert.Equal("00000008", Hex(sent[8]));
        Assert.Equal("9900000009", Hex(sent[9]));
    }

    [Fact]
    public async Task DatagramsThatAreNotOurs_AreDroppedAndCountedByReason_ThenTheNextValidOneIsReturned()
    {
        var profile = Profiles.Realistic();
        await using var pair = EnvelopePair.Create(profile);
        var prober = pair.CreateRawPath();
        var replay = await CaptureClientHelloBurstAsync(profile);

        var probes = new List<byte[]>
        {
            QuicSamples.Initial(),                                                            // plain QUIC, no envelope
            replay[0],                                                                        // replayed I1 (imitates a QUIC Initial)
            replay[1],                                                                        // replayed I2
            replay[2],                                                                        // replayed junk
            replay[5],                                                                        // replayed junk
            AwgDatagramClassifierTests.Wrap(profile, 1, 1020325460, QuicSamples.Short()),     // right header, wrong next byte
            AwgDatagramClassifierTests.Wrap(profile, 4, 1357924680, QuicSamples.Initial()),   // a client Initial never travels in class 4
            new byte[37 + 4],                                                                 // too short for class 1, header 0 for class 4
            new byte[20],                                                                     // too short for anything
        };
        var random = new Random(1234);
        var randomShort = 0;
        for (var n = 0; n < 200; n++)
        {
            var datagram = new byte[n < 20 ? n : random.Next(0, Profiles.WireMtu + 1)];
            random.NextBytes(datagram);
            randomShort += datagram.Length <= 23 + 4 ? 1 : 0;
            probes.Add(datagram);
        }

        foreach (var probe in probes)
        {
            await PathIo.SendAsync(prober, pair.ServerEndPoint, probe);
        }

        await PathIo.SendAsync(pair.Client, pair.ServerEndPoint, QuicSamples.Short());

        // A batch of one slot: the receive call goes through every probe before it returns.
        var received = await PathIo.ReceiveBatchAsync(pair.Server, capacity: 1);

        Assert.Equal(QuicSamples.Short(), Assert.Single(received).Payload);
        Assert.Equal(pair.ClientEndPoint, received[0].From);
        Assert.Equal(probes.Count, pair.Server.DroppedTotal);
        // Too short: the 20 zero bytes, the 18-byte I2 and the random ones of at most S4 + 4 bytes.
        Assert.Equal(2 + randomShort, pair.Server.GetDropCount(AwgDropReason.TooShort));
        Assert.Equal(2, pair.Server.GetDropCount(AwgDropReason.ImplausibleFirstByte));
        Assert.Equal(probes.Count - 4 - randomShort, pair.Server.GetDropCount(AwgDropReason.HeaderOutOfRange));
        Assert.Equal(1, pair.Server.DatagramsReceived);
    }

    [Fact]
    public async Task DropLogs_AreDebugOnly_RateLimitedPerReason_AndCarryNoPayload()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var logs = new FakeLogCollector();
        using var loggerFactory = CreateLoggerFactory(logs);
        await using var pair = EnvelopePair.Create(Profiles.Realistic(), time, loggerFactory);
        var prober = pair.CreateRawPath();
        var secret = Enumerable.Range(0, 20).Select(i => (byte)(0xA0 + i)).ToArray();

        async Task ProbeThenReceiveAsync(int tooShort, int outOfRange)
        {
            for (var i = 0; i < tooShort; i++)
            {
                await PathIo.SendAsync(prober, pair.ServerEndPoint, secret);
            }

            for (var i = 0; i < outOfRange; i++)
            {
                await PathIo.SendAsync(prober, pair.ServerEndPoint, QuicSamples.Initial());
            }

            await PathIo.SendAsync(pair.Client, pair.ServerEndPoint, QuicSamples.Short());
            await PathIo.ReceiveAsync(pair.Server, 1);
        }

        await ProbeThenReceiveAsync(tooShort: 5, outOfRange: 2);
        time.Advance(TimeSpan.FromMilliseconds(999));
        await ProbeThenReceiveAsync(tooShort: 3, outOfRange: 0);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await ProbeThenReceiveAsync(tooShort: 2, outOfRange: 0);

        var drops = logs.GetSnapshot().Where(r => r.Id.Name == "DatagramDropped").ToList();
        Assert.All(drops, r => Assert.Equal((LogLevel.Debug, 1), (r.Level, r.Id.Id)));
        Assert.Equal(
            [("TooShort", "0"), ("HeaderOutOfRange", "0"), ("TooShort", "7")],
            drops.Select(r => (r.GetStructuredStateValue("Reason"), r.GetStructuredStateValue("Suppressed"))));
        Assert.Equal("20", drops[0].GetStructuredStateValue("Length"));
        Assert.Equal(prober.LocalEndPoint.ToString(), drops[0].GetStructuredStateValue("RemoteEndPoint"));
        Assert.All(drops, r => Assert.Equal(
            ["Length", "Reason", "RemoteEndPoint", "Suppressed", "{OriginalFormat}"],
            r.StructuredState!.Select(kv => kv.Key).Order(StringComparer.Ordinal)));
        Assert.All(drops, r => Assert.DoesNotContain(Convert.ToHexString(secret.AsSpan(0, 4)), r.Message, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task DropLogs_AreNotBuiltWhenDebugIsOff()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = CreateLoggerFactory(logs, LogLevel.Information);
        await using var pair = EnvelopePair.Create(Profiles.Realistic(), serverLogs: loggerFactory);
        var prober = pair.CreateRawPath();

        await PathIo.SendAsync(prober, pair.ServerEndPoint, new byte[10]);
        await PathIo.SendAsync(pair.Client, pair.ServerEndPoint, QuicSamples.Short());
        await PathIo.ReceiveAsync(pair.Server, 1);

        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Level < LogLevel.Information);
        Assert.Equal(1, pair.Server.GetDropCount(AwgDropReason.TooShort));
    }

    [Fact]
    public async Task SteadyStateSendAndReceive_AllocateNothing()
    {
        var profile = Profiles.Realistic();
        var incoming = AwgDatagramClassifierTests.Wrap(profile, 4, 1357924680, QuicSamples.Short());
        var inner = new SyncLoopPath(incoming);
        await using var envelope = new AwgEnvelopePath(inner, AwgEnvelopeRole.Server, profile, SystemRandomSource.Instance, TimeProvider.System);
        var sendBatch = new DatagramBatch(8, PathIo.SlotSize, System.Net.Sockets.AddressFamily.InterNetwork);
        for (var i = 0; i < sendBatch.Capacity; i++)
        {
            QuicSamples.Short().CopyTo(sendBatch.GetArray(i), 0);
            sendBatch.SetPayload(i, 0, QuicSamples.Short().Length);
            sendBatch.SetAddress(i, s_peer);
        }

        var receiveBatch = new DatagramBatch(8, PathIo.SlotSize, System.Net.Sockets.AddressFamily.InterNetwork);
        await RoundsAsync(10); // warm up: first-use allocations (address copies, JIT, pools)

        var before = GC.GetAllocatedBytesForCurrentThread();
        await RoundsAsync(200);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(210 * 8, inner.SentDatagrams);
        Assert.Equal(210, envelope.DatagramsReceived);

        async Task RoundsAsync(int rounds)
        {
            for (var r = 0; r < rounds; r++)
            {
                await envelope.SendBatchAsync(sendBatch, sendBatch.Capacity, CancellationToken.None);
                await envelope.ReceiveBatchAsync(receiveBatch, CancellationToken.None);
            }
        }
    }

    internal static ILoggerFactory CreateLoggerFactory(FakeLogCollector logs, LogLevel minimum = LogLevel.Debug) =>
        new LoggerFactory([new FakeLoggerProvider(logs)], new LoggerFilterOptions { MinLevel = minimum });

    /// <summary>What a client envelope puts on the wire for one ClientHello: I1, I2, 4 junk, the initiation.</summary>
    internal static async Task<List<byte[]>> CaptureClientHelloBurstAsync(AwgProfile profile)
    {
        var wire = new RecordingPath();
        await using var client = new AwgEnvelopePath(wire, AwgEnvelopeRole.Client, profile, SystemRandomSource.Instance, TimeProvider.System);
        await PathIo.SendAsync(client, s_peer, QuicSamples.Initial(), DatagramFlags.ClientHello);
        var burst = wire.Sent.ToList();
        Assert.Equal(2 + 4 + 1, burst.Count);
        return burst;
    }

    private static (long, long, long, long) SentCounts(AwgEnvelopePath path) =>
        (path.GetSentCount(AwgMessageClass.Initiation), path.GetSentCount(AwgMessageClass.Response),
         path.GetSentCount(AwgMessageClass.Cookie), path.GetSentCount(AwgMessageClass.Transport));

    private static (long, long, long, long) ReceivedCounts(AwgEnvelopePath path) =>
        (path.GetReceivedCount(AwgMessageClass.Initiation), path.GetReceivedCount(AwgMessageClass.Response),
         path.GetReceivedCount(AwgMessageClass.Cookie), path.GetReceivedCount(AwgMessageClass.Transport));

    private static string Hex(byte[] header, byte[] quic) => Convert.ToHexStringLower([.. header, .. quic]);

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
