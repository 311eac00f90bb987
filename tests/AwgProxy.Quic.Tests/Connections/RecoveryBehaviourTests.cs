using AwgProxy.Quic.Congestion;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Recovery;
using AwgProxy.Quic.Streams;
using AwgProxy.Quic.Tests.Simulation;

namespace AwgProxy.Quic.Tests.Connections;

/// <summary>
/// RFC 9002 behaviour of whole connections on the simulated link: ECN (RFC 9000 section 13.4), receive window
/// auto-tuning on a long fat path, dead-path detection, ACK decimation during bulk transfer.
/// </summary>
public class RecoveryBehaviourTests
{
    [Fact]
    public void EcnPath_PacketsLeaveEct0AndThePathIsValidated()
    {
        using Pair pair = Ecn(seed: 21);
        Transfer(pair, 256 * 1024);

        Assert.Equal(EcnState.Capable, pair.Server.EcnState);
        Assert.Equal(EcnState.Capable, pair.Client.EcnState);
        List<SimulatedDatagram> late = pair.ToClient.Log.Skip(pair.ToClient.Log.Count / 2).ToList();
        Assert.All(late, d => Assert.Equal(EcnCodepoint.Ect0, d.Ecn));
    }

    [Fact]
    public void EcnDisabled_NothingIsMarked()
    {
        using var pair = new Pair(seed: 22);
        pair.DriveHandshake();
        Transfer(pair, 64 * 1024);

        Assert.Equal(EcnState.Disabled, pair.Server.EcnState);
        Assert.All(pair.ToClient.Log, d => Assert.Equal(EcnCodepoint.NotEct, d.Ecn));
    }

    [Fact]
    public void PathBleachingEcn_ValidationFailsAndMarkingStops()
    {
        using Pair pair = Ecn(seed: 23, configure: link => link.BleachEcn = true);
        Transfer(pair, 256 * 1024);

        Assert.Equal(EcnState.Failed, pair.Server.EcnState);
        SimulatedDatagram last = pair.ToClient.Log[^1];
        Assert.Equal(EcnCodepoint.NotEct, last.Ecn);
        Assert.True(pair.ToClient.Log.Count(d => d.Ecn == EcnCodepoint.Ect0) <= 2 * EcnValidator.TestingPacketCount);
    }

    [Fact]
    public void CeMarksFromAQueue_SenderBacksOffWithoutLosingPackets()
    {
        // A 10 Mbit/s bottleneck with a deep buffer that marks CE above 5 ms of queue: the controller must react to
        // the marks, so the buffer never overflows.
        using Pair pair = Ecn(seed: 24, algorithm: CongestionControlAlgorithm.Cubic, configure: link =>
        {
            link.BandwidthBytesPerSecond = 1_250_000;
            link.MaxQueueDelay = TimeSpan.FromMilliseconds(500);
            link.EcnMarkThreshold = TimeSpan.FromMilliseconds(5);
        });
        Transfer(pair, 2 << 20);

        ConnectionStats stats = pair.Server.GetStats();
        Assert.True(pair.ToClient.DatagramsMarkedCe > 0);
        Assert.True(stats.CongestionEvents > 0);
        Assert.Equal(0, pair.ToClient.DatagramsDroppedByQueue);
        Assert.Equal(0, stats.PacketsLost);
    }

    [Fact]
    public void LongFatPath_SmallInitialWindowsGrowWithTheBandwidthDelayProduct()
    {
        // 200 Mbit/s, 100 ms: the BDP is 2.5 MB, ten times the initial windows. Auto-tuning must let the transfer
        // run near the link rate; with the windows pinned at their initial size it cannot beat window / RTT.
        double tuned = FlowControlledGoodput(maxWindow: 32UL << 20);
        double pinned = FlowControlledGoodput(maxWindow: 256UL << 10);

        Assert.True(pinned < 25e6, $"pinned {pinned / 1e6:0.0} Mbit/s");
        Assert.True(tuned > 120e6, $"tuned {tuned / 1e6:0.0} Mbit/s");
    }

    [Fact]
    public void PathGoingDark_ReportedAsPathDeadWithinSeconds()
    {
        ClientConnectionOptions client = TestPeers.Client(25);
        client.DeadPathTimeout = TimeSpan.FromSeconds(3);
        client.KeepAliveInterval = TimeSpan.FromSeconds(1);
        client.IdleTimeout = TimeSpan.FromSeconds(60);
        using var pair = new Pair(seed: 25, client: client);
        pair.DriveHandshake();
        Instant dark = pair.Now;
        pair.ToServer.AddBlackhole(dark, TimeSpan.FromHours(1));
        pair.ToClient.AddBlackhole(dark, TimeSpan.FromHours(1));

        pair.Drive(() => pair.Client.Error is not null, TimeSpan.FromSeconds(30), "dead-path detection");

        Assert.Equal(ConnectionErrorKind.PathDead, pair.Client.Error!.Kind);
        Assert.InRange(pair.Now - dark, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public void BulkDownload_ReceiverDecimatesAcks_LossStillRepaired()
    {
        ClientConnectionOptions client = TestPeers.Client(26);
        ServerConnectionOptions server = TestPeers.Server(1026);
        client.BulkAckElicitingThreshold = server.BulkAckElicitingThreshold = 10;
        using var pair = new Pair(seed: 26, client, server);
        pair.ToClient.LossRate = 0.01;
        pair.DriveHandshake();
        Transfer(pair, 4 << 20);

        ConnectionStats receiver = pair.Client.GetStats();
        ConnectionStats sender = pair.Server.GetStats();

        // Roughly one ACK per ten data packets once decimation starts, not one per two.
        Assert.True(receiver.PacketsSent * 4 < sender.PacketsSent, $"{receiver.PacketsSent} ACK packets for {sender.PacketsSent} data packets");
        Assert.True(sender.PacketsLost > 0);
    }

    [Fact]
    public void WholeFlightLost_ProbeTimeoutResendsTheOldestDataInsteadOfABarePing()
    {
        ClientConnectionOptions client = TestPeers.Client(29);
        ServerConnectionOptions server = TestPeers.Server(30);
        client.EnablePathMtuDiscovery = server.EnablePathMtuDiscovery = false;
        using var pair = new Pair(seed: 29, client, server);
        pair.DriveHandshake();
        pair.RunFor(TimeSpan.FromMilliseconds(200));

        // 8 KiB leave in one flight at this instant, and all of it is lost: nothing else is in flight, so only a
        // probe timeout can repair it (RFC 9002 section 6.2.4).
        Instant flight = pair.Now;
        pair.ToClient.Filter = d => d.SentAt != flight;
        int before = pair.ToClient.Log.Count;
        var transfers = new TransferSet(pair);
        StreamTransfer transfer = transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(8 * 1024, 4), StreamDirection.Unidirectional);
        transfers.DriveToCompletion(TimeSpan.FromSeconds(10));

        transfer.AssertIntact();
        Assert.True(pair.Server.GetStats().ProbeTimeouts >= 1);
        SimulatedDatagram probe = pair.ToClient.Log.Skip(before).First(d => d.SentAt > flight);
        Assert.True(probe.Payload.Length > 1000, $"the first probe carried {probe.Payload.Length} bytes");
    }

    private static double FlowControlledGoodput(ulong maxWindow)
    {
        ClientConnectionOptions client = TestPeers.Client(27);
        ServerConnectionOptions server = TestPeers.Server(28);
        foreach (ConnectionOptions options in new ConnectionOptions[] { client, server })
        {
            options.InitialMaxData = 256 << 10;
            options.InitialMaxStreamDataUni = 256 << 10;
            options.InitialMaxStreamDataBidiLocal = 256 << 10;
            options.InitialMaxStreamDataBidiRemote = 256 << 10;
            options.MaxConnectionReceiveWindow = maxWindow;
            options.MaxStreamReceiveWindow = maxWindow;
        }

        using var pair = new Pair(seed: 27, client, server);
        foreach (SimulatedLink link in new[] { pair.ToServer, pair.ToClient })
        {
            link.KeepLog = false;
            link.Delay = TimeSpan.FromMilliseconds(50);
            link.BandwidthBytesPerSecond = 25_000_000;
            link.MaxQueueDelay = TimeSpan.FromMilliseconds(100);
        }

        pair.DriveHandshake();
        Assert.True(pair.Server.TryOpenStream(StreamDirection.Unidirectional, out ulong id));
        var transfer = new BulkTransfer(pair, pair.Server, pair.Client, id, 48L << 20, seed: 27);
        pair.OnEvent = (connection, e) =>
        {
            if (connection == pair.Client && e.Kind == ConnectionEventKind.StreamOpened && e.StreamId == id) transfer.ReceiverKnowsStream = true;
        };
        pair.OnStep = transfer.Pump;
        pair.Drive(() => transfer.IsComplete, TimeSpan.FromSeconds(120), "the transfer", maxSteps: int.MaxValue);
        transfer.AssertIntact();
        return transfer.GoodputBitsPerSecond;
    }

    private static Pair Ecn(int seed, CongestionControlAlgorithm algorithm = CongestionControlAlgorithm.Bbr, Action<SimulatedLink>? configure = null)
    {
        ClientConnectionOptions client = TestPeers.Client(seed);
        ServerConnectionOptions server = TestPeers.Server(seed + 1000);
        client.EnableEcn = server.EnableEcn = true;
        client.CongestionControl = server.CongestionControl = algorithm;
        var pair = new Pair(seed, client, server);
        configure?.Invoke(pair.ToServer);
        configure?.Invoke(pair.ToClient);
        pair.DriveHandshake();
        return pair;
    }

    private static void Transfer(Pair pair, int bytes)
    {
        var transfers = new TransferSet(pair);
        StreamTransfer transfer = transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(bytes, 3), StreamDirection.Unidirectional);
        transfers.DriveToCompletion(TimeSpan.FromSeconds(120));
        transfer.AssertIntact();
    }
}
