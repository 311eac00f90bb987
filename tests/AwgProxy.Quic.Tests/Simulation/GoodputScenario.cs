using System.Diagnostics;
using AwgProxy.Quic.Congestion;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Tests.Simulation;

/// <summary>
/// A bulk-transfer scenario on a symmetric path: bottleneck rate, round-trip time, jitter, random loss (both
/// directions), a drop-tail queue, and the payload moved from server to client on one stream.
/// </summary>
/// <param name="Name">For reports.</param>
/// <param name="BitsPerSecond">The bottleneck rate of each direction (IPv4 + UDP headers count: 28 bytes per datagram).</param>
/// <param name="Rtt">The base round-trip time (half of it each way).</param>
/// <param name="Jitter">Each direction's delay varies by ± half of this (so the RTT by ± this); FIFO order is kept.</param>
/// <param name="LossRate">Random loss in each direction.</param>
/// <param name="PayloadBytes">The bytes moved.</param>
/// <param name="QueueDelay">The bottleneck buffer, as the longest queueing delay (null: one RTT).</param>
internal sealed record GoodputScenario(
    string Name,
    long BitsPerSecond,
    TimeSpan Rtt,
    TimeSpan Jitter,
    double LossRate,
    long PayloadBytes,
    TimeSpan? QueueDelay = null)
{
    /// <summary>The scenario 1: 100 Mbit/s, 50 ms RTT, 1% random loss, 100 MiB.</summary>
    public static GoodputScenario LossyFast { get; } = new("100 Mbit/s, 50 ms, 1% loss, 100 MiB", 100_000_000, TimeSpan.FromMilliseconds(50), TimeSpan.Zero, 0.01, 100L << 20);

    /// <summary>The scenario 2: 10 Mbit/s, 100 ms ± 50 ms, 10% random loss.</summary>
    public static GoodputScenario HostileMobile { get; } = new("10 Mbit/s, 100±50 ms, 10% loss, 16 MiB", 10_000_000, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(50), 0.10, 16L << 20);

    /// <summary>The scenario 3: 1 Gbit/s, 20 ms RTT, no loss.</summary>
    public static GoodputScenario LongFat { get; } = new("1 Gbit/s, 20 ms, no loss, 512 MiB", 1_000_000_000, TimeSpan.FromMilliseconds(20), TimeSpan.Zero, 0, 512L << 20);

    public GoodputResult Run(CongestionControlAlgorithm algorithm, int seed = 1, Action<ConnectionOptions>? configure = null, Action<Pair, BulkTransfer>? trace = null)
    {
        var watch = Stopwatch.StartNew();
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        ClientConnectionOptions clientOptions = TestPeers.Client(seed);
        ServerConnectionOptions serverOptions = TestPeers.Server(seed + 1000);
        foreach (ConnectionOptions options in new ConnectionOptions[] { clientOptions, serverOptions })
        {
            options.CongestionControllerFactory = new CongestionControllerFactory(algorithm);
            configure?.Invoke(options);
        }

        using var pair = new Pair(seed, clientOptions, serverOptions);
        foreach (SimulatedLink link in new[] { pair.ToServer, pair.ToClient })
        {
            link.KeepLog = false;
            link.BandwidthBytesPerSecond = BitsPerSecond / 8;
            link.PerDatagramOverhead = 28;
            link.Delay = Rtt / 2;
            link.Jitter = Jitter / 2;
            link.LossRate = LossRate;
            link.MaxQueueDelay = QueueDelay ?? Rtt;
        }

        pair.DriveHandshake(TimeSpan.FromSeconds(30));
        Assert.True(pair.Server.TryOpenStream(StreamDirection.Unidirectional, out ulong streamId));
        var transfer = new BulkTransfer(pair, pair.Server, pair.Client, streamId, PayloadBytes, seed);
        pair.OnEvent = (connection, e) =>
        {
            if (connection == pair.Client && e.Kind == ConnectionEventKind.StreamOpened && e.StreamId == streamId) transfer.ReceiverKnowsStream = true;
        };
        pair.OnStep = transfer.Pump;
        if (trace is not null) pair.OnStep += () => trace(pair, transfer);

        // Bounded: at least 1/100 of the link rate (loss-based controllers on lossy paths are that slow), or the run fails.
        TimeSpan limit = TimeSpan.FromSeconds(60 + PayloadBytes * 8.0 * 100 / BitsPerSecond);
        pair.Drive(() => transfer.IsComplete || pair.Server.State != ConnectionState.Connected, limit, $"{Name} with {algorithm}", maxSteps: int.MaxValue);
        watch.Stop();
        return new GoodputResult(
            this,
            algorithm,
            transfer.IsIntact(),
            transfer.GoodputBitsPerSecond,
            transfer.LastByteRead - transfer.FirstByteWritten,
            pair.Server.GetStats(),
            pair.Steps,
            watch.Elapsed,
            Process.GetCurrentProcess().TotalProcessorTime - cpuBefore);
    }
}

/// <summary>What one <see cref="GoodputScenario"/> run achieved.</summary>
internal sealed record GoodputResult(
    GoodputScenario Scenario,
    CongestionControlAlgorithm Algorithm,
    bool Intact,
    double GoodputBitsPerSecond,
    TimeSpan VirtualDuration,
    ConnectionStats SenderStats,
    int Steps,
    TimeSpan WallClock,
    TimeSpan ProcessorTime)
{
    public double GoodputMbps => GoodputBitsPerSecond / 1e6;

    public override string ToString() =>
        $"{Scenario.Name} / {Algorithm}: {GoodputMbps:0.0} Mbit/s over {VirtualDuration.TotalSeconds:0.00} s virtual, intact {Intact}, " +
        $"lost {SenderStats.PacketsLost}/{SenderStats.PacketsSent} packets, PTOs {SenderStats.ProbeTimeouts}, cwnd {SenderStats.CongestionWindow}, " +
        $"srtt {SenderStats.SmoothedRtt.TotalMilliseconds:0.0} ms, {Steps} steps, {WallClock.TotalSeconds:0.00} s wall, {ProcessorTime.TotalSeconds:0.00} s CPU";
}
