using AwgProxy.Quic.Recovery;

namespace AwgProxy.Quic.Congestion;

/// <summary>
/// The NewReno congestion controller of RFC 9002 section 7 and Appendix B: slow start, a recovery period with one
/// window reduction per round trip, additive increase in congestion avoidance, and collapse to the minimum window on
/// persistent congestion.
/// </summary>
/// <remarks>
/// <code>
///                  New path or      +------------+
///             persistent congestion |   Slow     |
///         (O)----------------------&gt;|   Start    |
///                                   +------------+
///                                         |
///                                 Loss or |
///                         ECN-CE increase |
///                                         v
///  +------------+     Loss or       +------------+
///  | Congestion |  ECN-CE increase  |  Recovery  |
///  | Avoidance  |------------------&gt;|   Period   |
///  +------------+                   +------------+
///            ^                            |
///            |                            |
///            +----------------------------+
///               Acknowledgment of packet
///                 sent during recovery
/// </code>
/// The window is reduced as soon as recovery starts. Congestion avoidance counts acknowledged bytes and adds one
/// max_datagram_size per window's worth (the integer method of RFC 3465 section 2.1).
/// </remarks>
public sealed class NewReno : ICongestionController
{
    /// <summary>The smallest maximum datagram size QUIC allows (RFC 9000 section 14).</summary>
    public const int MinimumMaxDatagramSize = 1200;

    /// <summary>kLossReductionFactor is 0.5: the window is halved on a congestion event.</summary>
    private const int LossReductionDivisor = 2;

    private static readonly Instant NoRecovery = new(long.MinValue);

    private long _congestionWindow;
    private long _slowStartThreshold = long.MaxValue;
    private Instant _recoveryStartTime = NoRecovery;
    private bool _inRecovery;
    private long _bytesAckedInAvoidance;
    private bool _windowChangedSinceStart;

    public NewReno(int maxDatagramSize = MinimumMaxDatagramSize)
    {
        ValidateMaxDatagramSize(maxDatagramSize);
        MaxDatagramSize = maxDatagramSize;
        _congestionWindow = InitialWindowFor(maxDatagramSize);
    }

    public long CongestionWindow => _congestionWindow;

    public long SlowStartThreshold => _slowStartThreshold;

    public bool InSlowStart => _congestionWindow < _slowStartThreshold;

    public bool InRecovery => _inRecovery;

    public int MaxDatagramSize { get; private set; }

    /// <summary>kMinimumWindow: 2 * max_datagram_size.</summary>
    public long MinimumWindow => MinimumWindowFor(MaxDatagramSize);

    /// <summary>kInitialWindow: min(10 * max_datagram_size, max(14720, 2 * max_datagram_size)) (RFC 9002 section 7.2).</summary>
    public static long InitialWindowFor(int maxDatagramSize) =>
        Math.Min(10L * maxDatagramSize, Math.Max(14720L, 2L * maxDatagramSize));

    /// <summary>kMinimumWindow for a given max_datagram_size.</summary>
    public static long MinimumWindowFor(int maxDatagramSize) => 2L * maxDatagramSize;

    public void OnPacketSent(Instant now, int bytes, long bytesInFlight)
    {
    }

    public void OnPacketAcked(in AckedPacket packet)
    {
        // No growth for packets sent before the current recovery period started.
        if (IsInRecoveryPeriod(packet.TimeSent)) return;

        // A packet sent during recovery was acknowledged: the recovery period is over.
        _inRecovery = false;

        // RFC 9002 section 7.8: an underused window says nothing about the path, so it does not grow.
        if (packet.IsApplicationLimited) return;

        _windowChangedSinceStart = true;
        if (_congestionWindow < _slowStartThreshold)
        {
            _congestionWindow += packet.Bytes;
            return;
        }

        // Congestion avoidance: one max_datagram_size per congestion window acknowledged.
        _bytesAckedInAvoidance += packet.Bytes;
        if (_bytesAckedInAvoidance >= _congestionWindow)
        {
            _bytesAckedInAvoidance -= _congestionWindow;
            _congestionWindow += MaxDatagramSize;
        }
    }

    public void OnAckProcessed(in AckEvent ack)
    {
    }

    public void OnCongestionEvent(in CongestionEvent congestion)
    {
        if (!IsInRecoveryPeriod(congestion.SentTime))
        {
            // Enter a recovery period: one reduction per round trip.
            _recoveryStartTime = congestion.Now;
            _inRecovery = true;
            _slowStartThreshold = _congestionWindow / LossReductionDivisor;
            _congestionWindow = Math.Max(_slowStartThreshold, MinimumWindow);
            _bytesAckedInAvoidance = 0;
            _windowChangedSinceStart = true;
        }

        if (congestion.IsPersistentCongestion)
        {
            // RFC 9002 section 7.6.2: like a TCP RTO, restart from the minimum window (then slow start up to ssthresh).
            _congestionWindow = MinimumWindow;
            _recoveryStartTime = NoRecovery;
            _inRecovery = false;
            _bytesAckedInAvoidance = 0;
        }
    }

    public void OnMaxDatagramSizeChanged(int maxDatagramSize)
    {
        ValidateMaxDatagramSize(maxDatagramSize);
        int previous = MaxDatagramSize;
        MaxDatagramSize = maxDatagramSize;

        // RFC 9002 section 7.2: recompute the initial window with the new size; the window never sits below the
        // minimum for the new size.
        if (!_windowChangedSinceStart && maxDatagramSize != previous) _congestionWindow = InitialWindowFor(maxDatagramSize);
        _congestionWindow = Math.Max(_congestionWindow, MinimumWindow);
    }

    public long GetPacingRate(RttEstimator rtt)
    {
        ArgumentNullException.ThrowIfNull(rtt);
        return Pacer.RateFromWindow(_congestionWindow, rtt.SmoothedRtt);
    }

    private bool IsInRecoveryPeriod(Instant sentTime) => sentTime <= _recoveryStartTime;

    private static void ValidateMaxDatagramSize(int maxDatagramSize) =>
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDatagramSize, MinimumMaxDatagramSize);
}
