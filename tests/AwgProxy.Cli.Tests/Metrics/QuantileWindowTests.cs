using AwgProxy.Cli.Metrics;

namespace AwgProxy.Cli.Tests.Metrics;

public class QuantileWindowTests
{
    [Theory]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 0.5, 5.5)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 0.95, 9.55)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 1.0, 10)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 0.0, 1)]
    [InlineData(new double[] { 42 }, 0.99, 42)]
    public void Quantile_IsType7(double[] sorted, double q, double expected) =>
        Assert.Equal(expected, QuantileWindow.Quantile(sorted, q), 9);

    [Fact]
    public void Quantile_OfNothing_IsNaN() => Assert.True(double.IsNaN(QuantileWindow.Quantile([], 0.5)));

    [Fact]
    public void Window_KeepsTheLastCapacitySamplesNotOlderThanTheCutoff()
    {
        var window = new QuantileWindow(4);
        for (var i = 1; i <= 6; i++)
        {
            window.Add(i, timestamp: i * 10);
        }

        var all = new List<double>();
        window.CopyRecent(notBefore: long.MinValue, all);
        var recent = new List<double>();
        window.CopyRecent(notBefore: 40, recent);

        Assert.Equal([3, 4, 5, 6], all.Order());
        Assert.Equal([4, 5, 6], recent.Order());
    }
}
