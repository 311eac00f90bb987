namespace AwgProxy.Tunnel.Client;

/// <summary>
/// Capped exponential backoff with jitter: before retry <c>n</c> (1, 2, ...) the nominal delay is
/// <c>min × 2^(n−1)</c>, capped at <c>max</c>; the actual delay is drawn uniformly from
/// <c>[nominal × (1 − jitter), nominal]</c>, so it never exceeds the cap and clients that lost the
/// server together do not come back in step.
/// </summary>
public sealed class ReconnectPolicy
{
    private readonly Random _random;

    /// <param name="minDelay">Nominal delay before the first retry (positive).</param>
    /// <param name="maxDelay">Cap on the nominal delay (at least <paramref name="minDelay"/>).</param>
    /// <param name="jitter">Fraction 0-1 of the delay that is randomized.</param>
    /// <param name="random">Random source (seeded in tests); default <see cref="Random.Shared"/>.</param>
    public ReconnectPolicy(TimeSpan minDelay, TimeSpan maxDelay, double jitter, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(minDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, minDelay);
        if (double.IsNaN(jitter) || jitter is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "Must be between 0 and 1.");
        }

        MinDelay = minDelay;
        MaxDelay = maxDelay;
        Jitter = jitter;
        _random = random ?? Random.Shared;
    }

    public TimeSpan MinDelay { get; }

    public TimeSpan MaxDelay { get; }

    public double Jitter { get; }

    /// <summary>The nominal (un-jittered) delay before retry <paramref name="retry"/> (1-based).</summary>
    public TimeSpan GetNominalDelay(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);

        // Doubling past 2^30 overflows nothing useful: every real cap is reached long before.
        int exponent = Math.Min(retry - 1, 30);
        double ticks = MinDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The jittered delay before retry <paramref name="retry"/> (1-based).</summary>
    public TimeSpan GetDelay(int retry)
    {
        TimeSpan nominal = GetNominalDelay(retry);
        double factor = 1.0 - (Jitter * _random.NextDouble());
        return TimeSpan.FromTicks((long)(nominal.Ticks * factor));
    }
}
