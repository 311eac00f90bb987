using AwgProxy.Quic.Recovery;

namespace AwgProxy.Quic.Congestion;

/// <summary>
/// CUBIC (RFC 9438) with HyStart++ (RFC 9406) for leaving slow start: after a congestion event the window grows
/// along a cubic function of the time since the event, concave up to the window where the event happened
/// (W_max) and convex beyond it, never slower than Reno would (the Reno-friendly region).
/// </summary>
/// <remarks>
/// <para>Units: windows are in bytes; the RFC's segments are <see cref="MaxDatagramSize"/> bytes.</para>
/// <code>
///   W_cubic(t) = C * (t - K)^3 + W_max            C = 0.4 segments/s^3
///   K          = cbrt((W_max - cwnd_epoch) / C)   the time to get back to W_max
///   target     = clamp(W_cubic(t + RTT), cwnd, 1.5 * cwnd)
///   per ACK    : cwnd += (target - cwnd) * acked / cwnd
///   W_est      : += alpha * acked / cwnd,  alpha = 3 (1 - beta) / (1 + beta) until W_est >= cwnd_prior, then 1
///   congestion : W_max = cwnd (or cwnd * (1 + beta) / 2 below the previous W_max: fast convergence),
///                ssthresh = cwnd = max(beta * cwnd, minimum window), beta = 0.7
/// </code>
/// <para>
/// As in <see cref="NewReno"/>, one reduction per recovery period (packets sent before it do not reduce or grow the
/// window again), no growth while application-limited (the epoch is shifted by the time spent so, RFC 9438 section
/// 5.8), and collapse to the minimum window on persistent congestion. ECN-CE is treated as loss.
/// </para>
/// <para>
/// HyStart++: per round trip (counted in delivered bytes), the minimum of the first eight RTT samples is compared
/// with the previous round's; a rise of more than clamp(min_rtt / 8, 4 ms, 16 ms) moves slow start into
/// Conservative Slow Start (growth divided by 4), which returns to slow start if the RTT falls back below its
/// baseline and ends in congestion avoidance after five rounds. The packets are paced, so no per-ACK burst limit
/// applies. Pacing runs at twice the window per smoothed RTT in slow start and at 1.25 times it afterwards.
/// </para>
/// </remarks>
public sealed class Cubic : ICongestionController
{
    /// <summary>C, in segments per second cubed.</summary>
    private const double CubicC = 0.4;

    /// <summary>beta_cubic: the window keeps 70 % of itself on a congestion event.</summary>
    private const double Beta = 0.7;

    /// <summary>alpha_cubic of the Reno-friendly estimate while below the previous window.</summary>
    private const double RenoFriendlyAlpha = 3 * (1 - Beta) / (1 + Beta);

    private static readonly TimeSpan MinRttThreshold = TimeSpan.FromMilliseconds(4);
    private static readonly TimeSpan MaxRttThreshold = TimeSpan.FromMilliseconds(16);
    private const int MinRttDivisor = 8;
    private const int RttSamplesPerRound = 8;
    private const int ConservativeGrowthDivisor = 4;
    private const int ConservativeRounds = 5;

    private static readonly Instant NoRecovery = new(long.MinValue);

    private long _congestionWindow;
    private long _slowStartThreshold = long.MaxValue;
    private Instant _recoveryStartTime = NoRecovery;
    private bool _inRecovery;
    private bool _windowChangedSinceStart;

    // The cubic epoch (congestion avoidance since the last reduction).
    private bool _epochStarted;
    private Instant _epochStart;
    private double _k;
    private long _windowMax;
    private long _windowAtEpochStart;
    private long _windowPrior;
    private double _renoEstimate;
    private long _growthRemainder;
    private Instant _appLimitedSince = Instant.Never;

    // HyStart++.
    private bool _hyStartDone;
    private bool _inConservativeSlowStart;
    private long _roundEndDelivered;
    private TimeSpan _lastRoundMinRtt = TimeSpan.MaxValue;
    private TimeSpan _currentRoundMinRtt = TimeSpan.MaxValue;
    private int _roundRttSamples;
    private TimeSpan _conservativeBaselineMinRtt = TimeSpan.MaxValue;
    private int _conservativeRounds;
    private long _conservativeRemainder;

    public Cubic(int maxDatagramSize = NewReno.MinimumMaxDatagramSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDatagramSize, NewReno.MinimumMaxDatagramSize);
        MaxDatagramSize = maxDatagramSize;
        _congestionWindow = NewReno.InitialWindowFor(maxDatagramSize);
    }

    public long CongestionWindow => _congestionWindow;

    public long SlowStartThreshold => _slowStartThreshold;

    public bool InSlowStart => _congestionWindow < _slowStartThreshold;

    public bool InRecovery => _inRecovery;

    public int MaxDatagramSize { get; private set; }

    /// <summary>True while HyStart++ holds slow start to a quarter of its growth.</summary>
    public bool InConservativeSlowStart => _inConservativeSlowStart;

    /// <summary>W_max: the window at the last congestion event (after fast convergence), in bytes.</summary>
    public long WindowMax => _windowMax;

    private long MinimumWindow => NewReno.MinimumWindowFor(MaxDatagramSize);

    public void OnPacketSent(Instant now, int bytes, long bytesInFlight)
    {
    }

    public void OnPacketAcked(in AckedPacket packet)
    {
        if (packet.TimeSent <= _recoveryStartTime) return;
        _inRecovery = false;

        if (packet.IsApplicationLimited)
        {
            if (_appLimitedSince.IsNever) _appLimitedSince = packet.Now;
            return;
        }

        if (!_appLimitedSince.IsNever)
        {
            // RFC 9438 section 5.8: the time spent application-limited does not count as cubic growth time.
            if (_epochStarted) _epochStart += packet.Now - _appLimitedSince;
            _appLimitedSince = Instant.Never;
        }

        _windowChangedSinceStart = true;
        if (_congestionWindow < _slowStartThreshold)
        {
            if (!_inConservativeSlowStart)
            {
                _congestionWindow += packet.Bytes;
            }
            else
            {
                _conservativeRemainder += packet.Bytes;
                _congestionWindow += _conservativeRemainder / ConservativeGrowthDivisor;
                _conservativeRemainder %= ConservativeGrowthDivisor;
            }

            return;
        }

        GrowInCongestionAvoidance(packet.Now, packet.Bytes, packet.Rtt);
    }

    public void OnAckProcessed(in AckEvent ack)
    {
        if (_hyStartDone || _congestionWindow >= _slowStartThreshold) return;
        RateSample sample = ack.RateSample;

        // A round ends when a packet sent after its start is acknowledged.
        if (sample.IsValid || sample.Delivered > 0)
        {
            if (sample.PriorDelivered >= _roundEndDelivered)
            {
                _roundEndDelivered = sample.TotalDelivered;
                if (_currentRoundMinRtt != TimeSpan.MaxValue) _lastRoundMinRtt = _currentRoundMinRtt;
                _currentRoundMinRtt = TimeSpan.MaxValue;
                _roundRttSamples = 0;
                if (_inConservativeSlowStart && ++_conservativeRounds >= ConservativeRounds)
                {
                    // RFC 9406 section 4.2: enough rounds without a falling RTT: slow start is over.
                    _slowStartThreshold = _congestionWindow;
                    _hyStartDone = true;
                    _inConservativeSlowStart = false;
                    StartEpoch(ack.Now, windowMax: _congestionWindow);
                    return;
                }
            }
        }

        if (!ack.RttSampled) return;
        TimeSpan latest = ack.Rtt.LatestRtt;
        if (latest < _currentRoundMinRtt) _currentRoundMinRtt = latest;
        _roundRttSamples++;
        if (_roundRttSamples < RttSamplesPerRound || _lastRoundMinRtt == TimeSpan.MaxValue) return;

        if (!_inConservativeSlowStart)
        {
            TimeSpan threshold = TimeSpan.FromTicks(Math.Clamp(_lastRoundMinRtt.Ticks / MinRttDivisor, MinRttThreshold.Ticks, MaxRttThreshold.Ticks));
            if (_currentRoundMinRtt >= _lastRoundMinRtt + threshold)
            {
                _inConservativeSlowStart = true;
                _conservativeBaselineMinRtt = _currentRoundMinRtt;
                _conservativeRounds = 0;
            }
        }
        else if (_currentRoundMinRtt < _conservativeBaselineMinRtt)
        {
            // The RTT rise was spurious: back to slow start.
            _inConservativeSlowStart = false;
            _conservativeBaselineMinRtt = TimeSpan.MaxValue;
        }
    }

    public void OnCongestionEvent(in CongestionEvent congestion)
    {
        if (congestion.SentTime > _recoveryStartTime)
        {
            _recoveryStartTime = congestion.Now;
            _inRecovery = true;
            _windowChangedSinceStart = true;
            _hyStartDone = true;
            _inConservativeSlowStart = false;

            // Fast convergence (RFC 9438 section 4.7): release bandwidth to newer flows when the window keeps shrinking.
            long window = _congestionWindow;
            _windowPrior = window;
            _windowMax = _epochStarted && window < _windowMax ? (long)(window * (1 + Beta) / 2) : window;
            _slowStartThreshold = Math.Max((long)(window * Beta), MinimumWindow);
            _congestionWindow = _slowStartThreshold;
            StartEpoch(congestion.Now, _windowMax);
        }

        if (congestion.IsPersistentCongestion)
        {
            _congestionWindow = MinimumWindow;
            _recoveryStartTime = NoRecovery;
            _inRecovery = false;
            _epochStarted = false;
            _growthRemainder = 0;
        }
    }

    public void OnMaxDatagramSizeChanged(int maxDatagramSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDatagramSize, NewReno.MinimumMaxDatagramSize);
        int previous = MaxDatagramSize;
        MaxDatagramSize = maxDatagramSize;
        if (!_windowChangedSinceStart && maxDatagramSize != previous) _congestionWindow = NewReno.InitialWindowFor(maxDatagramSize);
        _congestionWindow = Math.Max(_congestionWindow, MinimumWindow);
        if (_epochStarted) StartEpoch(_epochStart, _windowMax);
    }

    public long GetPacingRate(RttEstimator rtt)
    {
        ArgumentNullException.ThrowIfNull(rtt);
        return InSlowStart
            ? Pacer.RateFromWindow(_congestionWindow, rtt.SmoothedRtt, 2, 1)
            : Pacer.RateFromWindow(_congestionWindow, rtt.SmoothedRtt);
    }

    /// <summary>Starts a congestion avoidance epoch at <paramref name="now"/> with the current window as cwnd_epoch.</summary>
    private void StartEpoch(Instant now, long windowMax)
    {
        _epochStarted = true;
        _epochStart = now;
        _windowAtEpochStart = _congestionWindow;
        _windowMax = Math.Max(windowMax, _congestionWindow);
        _renoEstimate = _congestionWindow;
        _growthRemainder = 0;
        _k = Math.Cbrt((double)(_windowMax - _windowAtEpochStart) / MaxDatagramSize / CubicC);
    }

    /// <summary>W_cubic(t) in bytes.</summary>
    private double WindowAt(double seconds)
    {
        double offset = seconds - _k;
        return (CubicC * offset * offset * offset * MaxDatagramSize) + _windowMax;
    }

    private void GrowInCongestionAvoidance(Instant now, int ackedBytes, RttEstimator rtt)
    {
        if (!_epochStarted)
        {
            // Congestion avoidance reached without a congestion event (ssthresh from HyStart++ or persistent
            // congestion): the current window is the plateau.
            StartEpoch(now, _congestionWindow);
        }

        long window = _congestionWindow;
        double segment = MaxDatagramSize;

        // The Reno-friendly estimate (RFC 9438 section 4.3).
        double alpha = _renoEstimate >= _windowPrior ? 1.0 : RenoFriendlyAlpha;
        _renoEstimate += alpha * segment * ackedBytes / window;

        double t = (now - _epochStart).TotalSeconds;
        if (WindowAt(t) < _renoEstimate)
        {
            // Reno-friendly region: at least as fast as Reno.
            _congestionWindow = Math.Max(window, (long)_renoEstimate);
            return;
        }

        // The window aims at where the cubic curve will be one RTT from now.
        long target = (long)Math.Clamp(WindowAt(t + rtt.SmoothedRtt.TotalSeconds), window, 1.5 * window);
        if (target <= window) return;
        _growthRemainder += (target - window) * (long)ackedBytes;
        long increase = _growthRemainder / window;
        _growthRemainder -= increase * window;
        _congestionWindow = window + increase;
    }
}
