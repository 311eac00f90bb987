using System.Text;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Tests.Simulation;

namespace AwgProxy.Quic.Tests.Scenarios;

/// <summary>
/// The deterministic simulation suite: scenario families whose link parameters are drawn from the seed, each run
/// over hundreds of seeds in virtual time. Every run must end with every payload intact (SHA-256 checked) and a
/// clean close, or, where the family allows it, with a reported connection error; never an exception, a hang or a
/// memory bound exceeded (<see cref="SimulationRun"/>). A failing seed is named in the message and can be rerun alone
/// with <see cref="SimulationSuite.Spec"/>.
/// </summary>
public class SimulationSuiteTests
{
    /// <summary>Seeds per family; the theory splits them into blocks so a failure report stays short.</summary>
    public const int SeedsPerFamily = 200;

    private const int BlockSize = 40;

    public static TheoryData<string, int> Blocks()
    {
        var data = new TheoryData<string, int>();
        foreach (string family in SimulationSuite.Families)
        {
            for (int first = 1; first <= SeedsPerFamily; first += BlockSize) data.Add(family, first);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void EverySeed_EndsIntactOrWithAReportedError(string family, int firstSeed)
    {
        var failures = new StringBuilder();
        int intact = 0;
        for (int seed = firstSeed; seed < firstSeed + BlockSize; seed++)
        {
            SimulationSpec spec = SimulationSuite.Spec(family, seed);
            SimulationOutcome outcome = SimulationRun.Execute(spec);
            if (outcome.End == SimulationEnd.Failed) failures.AppendLine($"{spec}\n  {outcome}");
            if (outcome.End == SimulationEnd.Intact) intact++;
        }

        Assert.True(failures.Length == 0, failures.ToString());

        // Families without long outages must deliver on every seed; the blackhole family on most.
        int expected = family == SimulationSuite.Outage ? BlockSize / 2 : BlockSize;
        Assert.True(intact >= expected, $"{family}: only {intact} of {BlockSize} seeds delivered intact");
    }

    [Theory]
    [InlineData(SimulationSuite.LossJitter, 7)]
    [InlineData(SimulationSuite.BurstReorder, 11)]
    [InlineData(SimulationSuite.Outage, 5)]
    public void OneSeedTwice_SameOutcomeAndTrace(string family, int seed)
    {
        SimulationOutcome first = SimulationRun.Execute(SimulationSuite.Spec(family, seed));
        SimulationOutcome second = SimulationRun.Execute(SimulationSuite.Spec(family, seed));

        Assert.NotEqual(SimulationEnd.Failed, first.End);
        Assert.Equal(first, second);
    }

    [Fact]
    public void DifferentSeeds_DifferentTraces()
    {
        SimulationOutcome first = SimulationRun.Execute(SimulationSuite.Spec(SimulationSuite.LossJitter, 1));
        SimulationOutcome second = SimulationRun.Execute(SimulationSuite.Spec(SimulationSuite.LossJitter, 2));

        Assert.NotEqual(first.TraceHash, second.TraceHash);
    }

    [Fact]
    public void DownlinkDroppingFullSizedDatagrams_IsNeverReportedIntact()
    {
        // The suite's verdict can fail: a downlink that never carries a 1200-byte datagram (the handshake needs them)
        // must not end "intact".
        SimulationSpec spec = SimulationSuite.Spec(SimulationSuite.LossJitter, 3);
        var blocked = new SimulationSpec
        {
            Family = spec.Family,
            Seed = spec.Seed,
            Streams = spec.Streams,
            ConfigureLink = (link, toServer) =>
            {
                spec.ConfigureLink(link, toServer);
                if (!toServer) link.Filter = d => d.Payload.Length < 1000;
            },
            ConfigureOptions = o => o.DeadPathTimeout = TimeSpan.FromSeconds(3),
            MaxVirtualTime = TimeSpan.FromSeconds(60),
        };

        SimulationOutcome outcome = SimulationRun.Execute(blocked);

        Assert.NotEqual(SimulationEnd.Intact, outcome.End);
    }
}

/// <summary>The scenario families of <see cref="SimulationSuiteTests"/>, their parameters drawn from the seed.</summary>
internal static class SimulationSuite
{
    /// <summary>Random loss up to 15 %, jitter, a bandwidth limit and a drop-tail queue; one stream each way.</summary>
    public const string LossJitter = "loss+jitter";

    /// <summary>Gilbert-Elliott burst loss, reordering and duplication; three streams, both directions.</summary>
    public const string BurstReorder = "burst+reorder+duplication";

    /// <summary>Corrupted datagrams (bit flips), duplication and a little loss; two streams.</summary>
    public const string Corruption = "corruption";

    /// <summary>A link MTU below the configured maximum and a period in which large datagrams vanish.</summary>
    public const string MtuBlackhole = "mtu+blackhole";

    /// <summary>Outages of one or both directions, short (survived) or longer than the dead-path timeout (reported).</summary>
    public const string Outage = "outage";

    public static IReadOnlyList<string> Families { get; } = [LossJitter, BurstReorder, Corruption, MtuBlackhole, Outage];

    public static SimulationSpec Spec(string family, int seed)
    {
        // One generator for the parameters, separate from the links' own (seeded by the pair).
        var random = new Random(seed * 31 + family.Length);
        double Between(double low, double high) => low + (random.NextDouble() * (high - low));
        TimeSpan Ms(double low, double high) => TimeSpan.FromMilliseconds(Math.Round(Between(low, high)));
        long[] rates = [0, 2_000_000, 10_000_000, 50_000_000];

        TimeSpan delay = Ms(2, 60);
        long bitsPerSecond = rates[random.Next(rates.Length)];
        TimeSpan queue = Ms(20, 200);
        int bytes = random.Next(64, 513) * 1024;

        void Base(SimulatedLink link)
        {
            link.Delay = delay;
            link.BandwidthBytesPerSecond = bitsPerSecond / 8;
            link.PerDatagramOverhead = 28;
            link.MaxQueueDelay = queue;
        }

        string rate = bitsPerSecond == 0 ? "unlimited" : $"{bitsPerSecond / 1_000_000} Mbit/s";
        switch (family)
        {
            case LossJitter:
            {
                double loss = Between(0, 0.15);
                TimeSpan jitter = Ms(0, 40);
                return new SimulationSpec
                {
                    Family = family,
                    Seed = seed,
                    ConfigureLink = (link, _) =>
                    {
                        Base(link);
                        link.LossRate = loss;
                        link.Jitter = jitter;
                    },
                    Streams = [new(FromClient: false, bytes), new(FromClient: true, 64 * 1024)],
                    Describe = () => $"{rate}, delay {delay.TotalMilliseconds} ms ± {jitter.TotalMilliseconds}, loss {loss:P1}, {bytes / 1024} KiB",
                };
            }

            case BurstReorder:
            {
                var burst = new GilbertElliott(Between(0.002, 0.03), Between(0.2, 0.6));
                double reorder = Between(0, 0.1);
                TimeSpan reorderDelay = Ms(2, 30);
                double duplicate = Between(0, 0.05);
                return new SimulationSpec
                {
                    Family = family,
                    Seed = seed,
                    ConfigureLink = (link, _) =>
                    {
                        Base(link);
                        link.BurstLoss = burst;
                        link.ReorderRate = reorder;
                        link.ReorderDelay = reorderDelay;
                        link.DuplicateRate = duplicate;
                    },
                    Streams = [new(false, bytes), new(true, bytes / 2), new(false, 64 * 1024)],
                    Describe = () => $"{rate}, delay {delay.TotalMilliseconds} ms, burst loss {burst.MeanLossRate:P1}, reorder {reorder:P1} by {reorderDelay.TotalMilliseconds} ms, duplicates {duplicate:P1}, {bytes / 1024} KiB",
                };
            }

            case Corruption:
            {
                double corrupt = Between(0.005, 0.05);
                double duplicate = Between(0, 0.05);
                double loss = Between(0, 0.03);
                return new SimulationSpec
                {
                    Family = family,
                    Seed = seed,
                    ConfigureLink = (link, _) =>
                    {
                        Base(link);
                        link.CorruptionRate = corrupt;
                        link.DuplicateRate = duplicate;
                        link.LossRate = loss;
                    },
                    Streams = [new(false, bytes), new(true, bytes / 4)],
                    Describe = () => $"{rate}, delay {delay.TotalMilliseconds} ms, corruption {corrupt:P1}, duplicates {duplicate:P1}, loss {loss:P1}, {bytes / 1024} KiB",
                };
            }

            case MtuBlackhole:
            {
                int linkMtu = random.Next(1200, 1501);
                int configured = random.Next(2) == 0 ? 1452 : 1500;
                TimeSpan holeStart = Ms(0, 3000);
                TimeSpan holeLength = Ms(500, 5000);
                double loss = Between(0, 0.02);
                return new SimulationSpec
                {
                    Family = family,
                    Seed = seed,
                    ConfigureOptions = o => o.MaxDatagramSize = configured,
                    ConfigureLink = (link, _) =>
                    {
                        Base(link);
                        link.MaxDatagramSize = linkMtu;
                        link.LossRate = loss;
                    },
                    Prepare = pair =>
                    {
                        // A route change that suddenly carries only 1250 bytes, then recovers.
                        Instant from = pair.Now + holeStart;
                        Instant to = from + holeLength;
                        foreach (SimulatedLink link in new[] { pair.ToServer, pair.ToClient })
                        {
                            link.Filter = d => d.Payload.Length <= 1250 || d.SentAt < from || d.SentAt >= to;
                        }
                    },
                    Streams = [new(false, bytes), new(true, 64 * 1024)],
                    Describe = () => $"{rate}, delay {delay.TotalMilliseconds} ms, link MTU {linkMtu} (configured {configured}), >1250 B dropped from {holeStart.TotalMilliseconds} ms for {holeLength.TotalMilliseconds} ms, loss {loss:P1}, {bytes / 1024} KiB",
                };
            }

            case Outage:
            {
                TimeSpan start = Ms(0, 3000);
                TimeSpan length = Ms(200, 9000);
                int which = random.Next(3);
                double loss = Between(0, 0.02);
                return new SimulationSpec
                {
                    Family = family,
                    Seed = seed,
                    ConfigureOptions = o =>
                    {
                        o.DeadPathTimeout = TimeSpan.FromSeconds(4);
                        o.IdleTimeout = TimeSpan.FromSeconds(15);
                    },
                    ConfigureLink = (link, _) =>
                    {
                        Base(link);
                        link.LossRate = loss;
                    },
                    Prepare = pair =>
                    {
                        if (which != 1) pair.ToServer.AddBlackhole(pair.Now + start, length);
                        if (which != 0) pair.ToClient.AddBlackhole(pair.Now + start, length);
                    },
                    Streams = [new(false, bytes), new(true, bytes / 2)],
                    AcceptedErrors = [ConnectionErrorKind.PathDead, ConnectionErrorKind.IdleTimeout],
                    Describe = () => $"{rate}, delay {delay.TotalMilliseconds} ms, {(which switch { 0 => "uplink", 1 => "downlink", _ => "both ways" })} dark from {start.TotalMilliseconds} ms for {length.TotalMilliseconds} ms, loss {loss:P1}, {bytes / 1024} KiB",
                };
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(family), family, "unknown family");
        }
    }
}
