namespace AwgProxy.Quic.Recovery;

/// <summary>
/// The round-trip time estimate of one network path (RFC 9002 section 5): latest_rtt, min_rtt, smoothed_rtt and
/// rttvar, plus the durations derived from them (probe timeout, loss delay, persistent congestion).
/// </summary>
/// <remarks>
/// Before the first sample smoothed_rtt is the initial RTT and rttvar half of it (section 5.3); min_rtt and
/// latest_rtt are zero. All durations are <see cref="TimeSpan"/> values (100 ns ticks).
/// </remarks>
public sealed class RttEstimator
{
    /// <summary>kInitialRtt (RFC 9002 section 6.2.2): 333 ms, giving a first PTO of about one second.</summary>
    public static readonly TimeSpan DefaultInitialRtt = TimeSpan.FromMilliseconds(333);

    /// <summary>kGranularity (RFC 9002 section 6.1.2): the timer granularity, 1 ms.</summary>
    public static readonly TimeSpan Granularity = TimeSpan.FromMilliseconds(1);

    /// <summary>kTimeThreshold (RFC 9002 section 6.1.2) is 9/8; kept as a fraction to stay in integer ticks.</summary>
    private const long TimeThresholdNumerator = 9;
    private const long TimeThresholdDenominator = 8;

    /// <summary>kPersistentCongestionThreshold (RFC 9002 section 7.6.1).</summary>
    public const int PersistentCongestionThreshold = 3;

    public RttEstimator()
        : this(DefaultInitialRtt)
    {
    }

    public RttEstimator(TimeSpan initialRtt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initialRtt, TimeSpan.Zero);
        InitialRtt = initialRtt;
        Reset();
    }

    /// <summary>The RTT assumed before the first sample (kInitialRtt).</summary>
    public TimeSpan InitialRtt { get; private set; }

    /// <summary>latest_rtt: the most recent sample, not adjusted for acknowledgment delay. Zero before a sample.</summary>
    public TimeSpan LatestRtt { get; private set; }

    /// <summary>min_rtt: the smallest sample seen, not adjusted for acknowledgment delay. Zero before a sample.</summary>
    public TimeSpan MinRtt { get; private set; }

    /// <summary>smoothed_rtt: exponentially weighted moving average of the adjusted samples.</summary>
    public TimeSpan SmoothedRtt { get; private set; }

    /// <summary>rttvar: mean deviation of the adjusted samples.</summary>
    public TimeSpan RttVar { get; private set; }

    /// <summary>True once the first RTT sample arrived.</summary>
    public bool HasSample => !FirstSampleTime.IsNever;

    /// <summary>first_rtt_sample: when the first sample was taken, or <see cref="Instant.Never"/> before it.</summary>
    public Instant FirstSampleTime { get; private set; }

    /// <summary>
    /// smoothed_rtt + max(4*rttvar, kGranularity): the probe timeout without max_ack_delay and without backoff
    /// (RFC 9002 section 6.2.1). This is the PTO of the Initial and Handshake packet number spaces.
    /// </summary>
    public TimeSpan ProbeTimeoutBase => SmoothedRtt + Max(TimeSpan.FromTicks(4 * RttVar.Ticks), Granularity);

    /// <summary>
    /// The time threshold of loss detection, max(kTimeThreshold * max(smoothed_rtt, latest_rtt), kGranularity)
    /// (RFC 9002 section 6.1.2).
    /// </summary>
    public TimeSpan LossDelay
    {
        get
        {
            long rtt = Math.Max(SmoothedRtt.Ticks, LatestRtt.Ticks);
            return Max(TimeSpan.FromTicks(rtt / TimeThresholdDenominator * TimeThresholdNumerator
                + rtt % TimeThresholdDenominator * TimeThresholdNumerator / TimeThresholdDenominator), Granularity);
        }
    }

    /// <summary>
    /// PTO = smoothed_rtt + max(4*rttvar, kGranularity) + max_ack_delay (RFC 9002 section 6.2.1). Pass
    /// <see cref="TimeSpan.Zero"/> as <paramref name="maxAckDelay"/> for the Initial and Handshake spaces.
    /// </summary>
    public TimeSpan ProbeTimeout(TimeSpan maxAckDelay) => ProbeTimeoutBase + maxAckDelay;

    /// <summary>
    /// (smoothed_rtt + max(4*rttvar, kGranularity) + max_ack_delay) * kPersistentCongestionThreshold
    /// (RFC 9002 section 7.6.1). max_ack_delay is included whatever the packet number space.
    /// </summary>
    public TimeSpan PersistentCongestionDuration(TimeSpan maxAckDelay) =>
        TimeSpan.FromTicks(PersistentCongestionThreshold * ProbeTimeout(maxAckDelay).Ticks);

    /// <summary>
    /// Feeds one RTT sample (RFC 9002 sections 5.2 and 5.3).
    /// </summary>
    /// <param name="now">When the acknowledgment was received; recorded as first_rtt_sample on the first sample.</param>
    /// <param name="latestRtt">ack_time - send_time_of_largest_acked.</param>
    /// <param name="ackDelay">The decoded ACK Delay of the ACK frame (zero to ignore it, e.g. for Initial).</param>
    /// <param name="handshakeConfirmed">Once true, <paramref name="ackDelay"/> is capped at <paramref name="maxAckDelay"/>.</param>
    /// <param name="maxAckDelay">The peer's max_ack_delay transport parameter.</param>
    public void Update(Instant now, TimeSpan latestRtt, TimeSpan ackDelay, bool handshakeConfirmed, TimeSpan maxAckDelay)
    {
        if (latestRtt < TimeSpan.Zero) latestRtt = TimeSpan.Zero;
        if (ackDelay < TimeSpan.Zero) ackDelay = TimeSpan.Zero;
        LatestRtt = latestRtt;

        if (!HasSample)
        {
            // The first sample resets the estimator: no history from the initial RTT is kept.
            FirstSampleTime = now;
            MinRtt = latestRtt;
            SmoothedRtt = latestRtt;
            RttVar = TimeSpan.FromTicks(latestRtt.Ticks / 2);
            return;
        }

        // min_rtt ignores the acknowledgment delay, so it is a lower bound built only from local observations.
        MinRtt = Min(MinRtt, latestRtt);

        // Before confirmation the peer may legitimately exceed max_ack_delay (it may lack keys); afterwards the
        // excess is treated as path delay.
        if (handshakeConfirmed) ackDelay = Min(ackDelay, maxAckDelay);

        // Never subtract the delay if that would put the sample below min_rtt.
        TimeSpan adjustedRtt = latestRtt;
        if (latestRtt >= MinRtt + ackDelay) adjustedRtt = latestRtt - ackDelay;

        // RFC 6298 order, as in RFC 9002 Appendix A.7: rttvar uses the smoothed_rtt from before this sample.
        long deviation = Math.Abs(SmoothedRtt.Ticks - adjustedRtt.Ticks);
        RttVar = TimeSpan.FromTicks((3 * RttVar.Ticks + deviation) / 4);
        SmoothedRtt = TimeSpan.FromTicks((7 * SmoothedRtt.Ticks + adjustedRtt.Ticks) / 8);
    }

    /// <summary>
    /// After persistent congestion min_rtt SHOULD restart from the newest sample (RFC 9002 section 5.2), so the
    /// same RTT increase does not declare persistent congestion again and again.
    /// </summary>
    public void OnPersistentCongestion()
    {
        if (HasSample) MinRtt = LatestRtt;
    }

    /// <summary>Forgets every sample (new path, Retry): back to the initial RTT.</summary>
    public void Reset()
    {
        LatestRtt = TimeSpan.Zero;
        MinRtt = TimeSpan.Zero;
        SmoothedRtt = InitialRtt;
        RttVar = TimeSpan.FromTicks(InitialRtt.Ticks / 2);
        FirstSampleTime = Instant.Never;
    }

    /// <summary>Forgets every sample and starts again from <paramref name="initialRtt"/> (e.g. a resumed RTT).</summary>
    public void Reset(TimeSpan initialRtt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initialRtt, TimeSpan.Zero);
        InitialRtt = initialRtt;
        Reset();
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a >= b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a <= b ? a : b;
}
