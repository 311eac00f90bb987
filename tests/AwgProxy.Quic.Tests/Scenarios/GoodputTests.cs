using AwgProxy.Quic.Congestion;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Tests.Simulation;
using Xunit.Abstractions;

namespace AwgProxy.Quic.Tests.Scenarios;

/// <summary>
/// The goodput thresholds of the hostile-network issue, in virtual time (deterministic) with the default congestion
/// controller: the whole payload must arrive intact at the given rate, measured from the first byte written to the
/// last byte read. The output line of each run is what docs/quic.md's table reports.
/// </summary>
public class GoodputTests(ITestOutputHelper output)
{
    [Fact]
    public void LossyFastPath_100Mbps50ms1PercentLoss100MiB_AtLeast70Mbps()
    {
        GoodputResult result = Run(GoodputScenario.LossyFast, DefaultAlgorithm());

        Assert.True(result.GoodputMbps >= 70, result.ToString());
    }

    [Fact]
    public void HostileMobilePath_10Mbps100msJitter10PercentLoss_AtLeast8Mbps()
    {
        GoodputResult result = Run(GoodputScenario.HostileMobile, DefaultAlgorithm());

        Assert.True(result.GoodputMbps >= 8, result.ToString());
    }

    [Fact]
    public void LongFatCleanPath_1Gbps20ms_AtLeast900Mbps()
    {
        GoodputResult result = Run(GoodputScenario.LongFat, DefaultAlgorithm());

        Assert.True(result.GoodputMbps >= 900, result.ToString());
    }

    /// <summary>
    /// The other controllers on the lossy scenarios with smaller payloads (the table in docs/quic.md runs the full
    /// ones): each completes intact, and the default is the fastest of the three where loss is random.
    /// </summary>
    [Theory]
    [InlineData(CongestionControlAlgorithm.NewReno)]
    [InlineData(CongestionControlAlgorithm.Cubic)]
    public void HostileMobilePath_OtherControllers_CompleteIntactButSlowerThanTheDefault(CongestionControlAlgorithm algorithm)
    {
        GoodputScenario small = GoodputScenario.HostileMobile with { PayloadBytes = 4L << 20 };
        GoodputResult other = Run(small, algorithm);
        GoodputResult standard = Run(small, DefaultAlgorithm());

        Assert.True(other.GoodputMbps < standard.GoodputMbps, $"{other}\n{standard}");
    }

    private static CongestionControlAlgorithm DefaultAlgorithm() => new ClientConnectionOptions().CongestionControl;

    private GoodputResult Run(GoodputScenario scenario, CongestionControlAlgorithm algorithm)
    {
        GoodputResult result = scenario.Run(algorithm);
        output.WriteLine(result.ToString());
        Assert.True(result.Intact, $"payload not intact: {result}");
        return result;
    }
}
