using AwgProxy.Tunnel.Client;

namespace AwgProxy.Tunnel.Tests.Client;

public class ReconnectPolicyTests
{
    private static readonly TimeSpan Min = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1, 250)]
    [InlineData(2, 500)]
    [InlineData(3, 1000)]
    [InlineData(4, 2000)]
    [InlineData(7, 16000)]
    [InlineData(8, 30000)]
    [InlineData(9, 30000)]
    [InlineData(1000, 30000)]
    public void NominalDelay_DoublesFromTheMinimumUpToTheCap(int retry, int expectedMs)
    {
        var policy = new ReconnectPolicy(Min, Max, 0.2);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), policy.GetNominalDelay(retry));
    }

    [Fact]
    public void JitteredDelay_StaysWithinItsBandAndVaries()
    {
        var policy = new ReconnectPolicy(Min, Max, 0.2, new Random(42));
        for (int retry = 1; retry <= 12; retry++)
        {
            TimeSpan nominal = policy.GetNominalDelay(retry);
            var seen = new HashSet<TimeSpan>();
            for (int i = 0; i < 200; i++)
            {
                TimeSpan delay = policy.GetDelay(retry);
                Assert.InRange(delay, nominal * 0.8, nominal);
                seen.Add(delay);
            }

            Assert.True(seen.Count > 100, $"retry {retry}: only {seen.Count} distinct delays");
        }
    }

    [Fact]
    public void ZeroJitter_GivesTheNominalDelay()
    {
        var policy = new ReconnectPolicy(Min, Max, 0);

        Assert.Equal(TimeSpan.FromMilliseconds(1000), policy.GetDelay(3));
    }

    [Fact]
    public void InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectPolicy(TimeSpan.Zero, Max, 0.2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectPolicy(Max, Min, 0.2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectPolicy(Min, Max, 1.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectPolicy(Min, Max, 0.2).GetNominalDelay(0));
    }
}
