namespace AwgProxy.Quic.Congestion;

/// <summary>
/// A token-bucket pacer (RFC 9002 section 7.7): in-flight packets leave at the congestion controller's pacing rate,
/// with bursts bounded by the bucket. ACK-only packets are not paced: do not ask the pacer about them.
/// </summary>
/// <remarks>
/// <para>
/// The bucket starts with <c>initialBurstBytes</c> tokens (normally the initial congestion window, so the first
/// flight leaves at once, as section 7.7 allows) and afterwards refills at the pacing rate up to its capacity:
/// <see cref="BurstInterval"/> worth of data at the current rate, at least <c>burstPackets</c> and at most
/// <see cref="MaxBurstPackets"/> full-sized datagrams (<see cref="CapacityAt"/>). Sending may overdraw the bucket by
/// one packet, which is repaid before the next one leaves.
/// </para>
/// <para>
/// Holding <see cref="BurstInterval"/> of data lets a driver whose timers are no finer than a millisecond (RFC 9002's
/// kGranularity) serve pacing deadlines with them: when such a timer fires late the bucket has refilled to a run of
/// packets that leaves together (one system call with segmentation offload) instead of one wake-up per packet, and
/// up to the interval no tokens are lost, so the average rate holds. quic-go and quinn size their buckets the same way.
/// </para>
/// <para>
/// Tokens are counted in byte-ticks (bytes times <see cref="TimeSpan.TicksPerSecond"/>), so refilling and
/// waiting are exact integer arithmetic and identical in every run.
/// </para>
/// </remarks>
public sealed class Pacer
{
    /// <summary>Packets the bucket holds after the initial burst.</summary>
    public const int DefaultBurstPackets = 10;

    /// <summary>The most full-sized datagrams the bucket holds, however high the rate.</summary>
    public const int MaxBurstPackets = 256;

    /// <summary>The bucket holds this much time at the pacing rate (when that is more than the burst packets).</summary>
    public static readonly TimeSpan BurstInterval = TimeSpan.FromMilliseconds(2);

    /// <summary>N in rate = N * congestion_window / smoothed_rtt, as the fraction 5/4.</summary>
    private const long RateNumerator = 5;
    private const long RateDenominator = 4;

    private readonly int _burstPackets;
    private long _scaledTokens;
    private Instant _lastRefill;
    private bool _started;

    public Pacer(int maxDatagramSize, long initialBurstBytes, int burstPackets = DefaultBurstPackets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDatagramSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(initialBurstBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(burstPackets, 1);
        _burstPackets = burstPackets;
        MaxDatagramSize = maxDatagramSize;
        _scaledTokens = Scale(initialBurstBytes);
    }

    public int MaxDatagramSize { get; private set; }

    /// <summary>The most tokens (bytes) the bucket refills to at <paramref name="rate"/> bytes per second.</summary>
    public long CapacityAt(long rate)
    {
        long floor = (long)_burstPackets * MaxDatagramSize;
        if (rate <= 0 || rate == long.MaxValue) return floor;
        long ceiling = Math.Max(floor, (long)MaxBurstPackets * MaxDatagramSize);
        long interval = rate / (TimeSpan.TicksPerSecond / BurstInterval.Ticks);
        return Math.Clamp(interval, floor, ceiling);
    }

    /// <summary>Tokens (bytes) available as of the last call.</summary>
    public long Tokens => _scaledTokens / TimeSpan.TicksPerSecond;

    /// <summary>
    /// The pacing rate of a window-based controller in bytes per second: 1.25 * cwnd / smoothed_rtt, or
    /// <see cref="long.MaxValue"/> (no pacing) when smoothed_rtt is zero.
    /// </summary>
    public static long RateFromWindow(long congestionWindow, TimeSpan smoothedRtt) =>
        RateFromWindow(congestionWindow, smoothedRtt, RateNumerator, RateDenominator);

    /// <summary>
    /// <paramref name="gainNumerator"/> / <paramref name="gainDenominator"/> * cwnd / smoothed_rtt in bytes per
    /// second, or <see cref="long.MaxValue"/> (no pacing) when smoothed_rtt is zero.
    /// </summary>
    public static long RateFromWindow(long congestionWindow, TimeSpan smoothedRtt, long gainNumerator, long gainDenominator)
    {
        if (smoothedRtt <= TimeSpan.Zero || congestionWindow <= 0) return long.MaxValue;
        Int128 rate = (Int128)congestionWindow * gainNumerator * TimeSpan.TicksPerSecond / (gainDenominator * smoothedRtt.Ticks);
        return rate >= long.MaxValue ? long.MaxValue : Math.Max(1, (long)rate);
    }

    /// <summary>
    /// When a packet of <paramref name="bytes"/> may leave: <paramref name="now"/> if it may leave at once,
    /// otherwise the instant the bucket holds enough tokens at <paramref name="rate"/> bytes per second. Put it in
    /// the connection's timer table when it lies in the future.
    /// </summary>
    public Instant NextSendTime(Instant now, int bytes, long rate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Refill(now, rate);
        if (rate == long.MaxValue || rate <= 0) return now;

        long needed = Scale(Math.Min(bytes, CapacityAt(rate)));
        if (_scaledTokens >= needed) return now;
        long missing = needed - _scaledTokens;
        long waitTicks = missing / rate + (missing % rate == 0 ? 0 : 1);
        return now + TimeSpan.FromTicks(waitTicks);
    }

    /// <summary>A paced (in-flight) packet of <paramref name="bytes"/> was sent at <paramref name="now"/>.</summary>
    public void OnPacketSent(Instant now, int bytes, long rate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Refill(now, rate);
        _scaledTokens -= Scale(bytes);
    }

    public void OnMaxDatagramSizeChanged(int maxDatagramSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDatagramSize, 1);
        MaxDatagramSize = maxDatagramSize;
    }

    private void Refill(Instant now, long rate)
    {
        if (!_started)
        {
            _started = true;
            _lastRefill = now;
            return;
        }

        long elapsed = (now - _lastRefill).Ticks;
        if (elapsed <= 0) return;
        _lastRefill = now;

        long capacity = Scale(CapacityAt(rate));
        if (_scaledTokens >= capacity) return;
        if (rate <= 0) return;
        long deficit = capacity - _scaledTokens;
        // rate * elapsed reaches the deficit exactly when elapsed >= ceil(deficit / rate); below that it cannot
        // overflow because it stays under the deficit.
        if (rate == long.MaxValue || elapsed >= deficit / rate + 1) _scaledTokens = capacity;
        else _scaledTokens += rate * elapsed;
    }

    private static long Scale(long bytes) => bytes * TimeSpan.TicksPerSecond;
}
