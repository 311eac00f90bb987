using AwgProxy.Quic.Recovery;

namespace AwgProxy.Quic.Congestion;

/// <summary>
/// A model-based controller in the style of BBR (version 1, draft-cardwell-iccrg-bbr-congestion-control-00, with
/// the ACK-aggregation allowance of later Linux versions): it estimates the path's bottleneck bandwidth (BtlBw, the
/// windowed maximum of delivery-rate samples) and round-trip propagation time (RTprop, the windowed minimum RTT),
/// paces at gain × BtlBw and caps bytes in flight at gain × BtlBw × RTprop.
/// </summary>
/// <remarks>
/// <para>States:</para>
/// <list type="bullet">
/// <item><b>Startup</b>: pacing and window gain 2/ln 2 (the rate doubles each round) until three rounds in a row
/// raise BtlBw by less than 25 % (the pipe is full), or an ECN-CE mark arrives.</item>
/// <item><b>Drain</b>: pacing gain ln 2 / 2 until bytes in flight fall to one BDP.</item>
/// <item><b>ProbeBW</b>: cycles pacing gains 1.25, 0.75, 1 × 6, each about one RTprop long (the first phase picked
/// pseudo-randomly); window gain 2.</item>
/// <item><b>ProbeRTT</b>: when RTprop was not refreshed for 10 s, bytes in flight are cut to half a BDP for
/// 200 ms and one round so the queue empties and a fresh minimum is seen.</item>
/// </list>
/// <para>
/// Loss: random loss is not congestion. Like BBR v1, this controller keeps its model through loss (no window
/// reduction, so 10 % random loss costs only the lost packets); the delivery rate it measures already reflects any
/// real capacity limit. Only persistent congestion (RFC 9002 section 7.6) collapses the window to the minimum, from
/// where it regrows by the bytes acknowledged. BBR v2's loss bounds (inflight_hi at 2 % loss) were not adopted: on
/// the lossy paths this stack targets they cap throughput far below capacity.
/// </para>
/// <para>
/// The window also covers ACK aggregation (receivers that acknowledge in bursts, decimated ACKs, jittery paths): the
/// largest excess of acknowledged bytes over what BtlBw predicts within an aggregation epoch, over the last 10 rounds,
/// capped at 100 ms of BtlBw, is added to the target window once the pipe is full.
/// </para>
/// <para>
/// Rounds are counted in delivered bytes (a round ends when a packet sent after its start is acknowledged), using the
/// <see cref="RateSample"/> of each ACK frame. Application-limited samples only raise BtlBw, never lower it.
/// </para>
/// </remarks>
public sealed class Bbr : ICongestionController
{
    /// <summary>2/ln 2, in thousandths: the smallest gain that doubles the delivery rate each round.</summary>
    private const int HighGain = 2885;

    /// <summary>ln 2 / 2, in thousandths: drains the startup queue in about one round.</summary>
    private const int DrainGain = 347;

    private const int CwndGain = 2000;
    private const int Unit = 1000;

    /// <summary>The ProbeBW pacing gain cycle, in thousandths.</summary>
    private static readonly int[] ProbeBandwidthGains = [1250, 750, 1000, 1000, 1000, 1000, 1000, 1000];

    private const int BandwidthFilterRounds = 10;
    private const int FullBandwidthRounds = 3;

    /// <summary>BtlBw must grow by this factor (in thousandths) for the pipe not to be full.</summary>
    private const int FullBandwidthGrowth = 1250;

    private const int MinimumWindowPackets = 4;

    /// <summary>Startup also ends after a round that lost more than this share of its packets (in thousandths)...</summary>
    private const int StartupLossRateLimit = 200;

    /// <summary>...and at least this many of them: a buffer overflowing, not random loss.</summary>
    private const int StartupLossCountLimit = 8;

    /// <summary>Pacing runs 1 % below the estimate, so queues drain.</summary>
    private const int PacingMarginPercent = 1;

    private const int AckAggregationRounds = 10;

    private static readonly TimeSpan MinRttWindow = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ProbeRttDuration = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxAckAggregation = TimeSpan.FromMilliseconds(100);

    private BbrState _state = BbrState.Startup;
    private WindowedMaxFilter _bandwidth = new(BandwidthFilterRounds);
    private WindowedMaxFilter _extraAcked = new(AckAggregationRounds);
    private long _congestionWindow;
    private long _pacingRate;
    private int _pacingGain = HighGain;
    private int _cwndGain = HighGain;

    // Rounds.
    private long _roundCount;
    private long _nextRoundDelivered;
    private bool _roundStart;

    // RTprop.
    private TimeSpan _minRtt = TimeSpan.MaxValue;
    private Instant _minRttStamp;

    // Losses and deliveries of the current round.
    private long _roundLostPackets;
    private long _roundLostBytes;
    private long _roundDeliveredBytes;

    // Startup.
    private bool _filledPipe;
    private long _fullBandwidth;
    private int _fullBandwidthCount;

    // ProbeBW.
    private int _cycleIndex;
    private Instant _cycleStart;

    // ProbeRTT.
    private Instant _probeRttDoneStamp = Instant.Never;
    private bool _probeRttRoundDone;
    private long _priorCongestionWindow;

    // ACK aggregation.
    private Instant _aggregationEpochStart = Instant.Never;
    private long _aggregationEpochAcked;

    private bool _minRttExpired;
    private bool _windowChangedSinceStart;
    private bool _inRecovery;
    private Instant _recoveryStart = new(long.MinValue);

    public Bbr(Instant now, int maxDatagramSize = NewReno.MinimumMaxDatagramSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDatagramSize, NewReno.MinimumMaxDatagramSize);
        MaxDatagramSize = maxDatagramSize;
        _congestionWindow = NewReno.InitialWindowFor(maxDatagramSize);
        _minRttStamp = now;
        _cycleStart = now;
    }

    public long CongestionWindow => _congestionWindow;

    /// <summary>BBR has no slow start threshold.</summary>
    public long SlowStartThreshold => long.MaxValue;

    public bool InSlowStart => _state == BbrState.Startup;

    /// <summary>True from a loss until a packet sent after it is acknowledged (reported for statistics only).</summary>
    public bool InRecovery => _inRecovery;

    public int MaxDatagramSize { get; private set; }

    public BbrState State => _state;

    /// <summary>BtlBw: the bottleneck bandwidth estimate in bytes per second (0 before a sample).</summary>
    public long BottleneckBandwidth => _bandwidth.Best;

    /// <summary>RTprop: the round-trip propagation time estimate (<see cref="TimeSpan.MaxValue"/> before a sample).</summary>
    public TimeSpan MinRtt => _minRtt;

    /// <summary>The pacing gain in use, in thousandths.</summary>
    public int PacingGain => _pacingGain;

    /// <summary>Round trips counted so far.</summary>
    public long RoundCount => _roundCount;

    private long MinimumWindow => (long)MinimumWindowPackets * MaxDatagramSize;

    public void OnPacketSent(Instant now, int bytes, long bytesInFlight)
    {
    }

    public void OnPacketAcked(in AckedPacket packet)
    {
        if (_inRecovery && packet.TimeSent > _recoveryStart) _inRecovery = false;
    }

    public void OnAckProcessed(in AckEvent ack)
    {
        if (ack.NewlyAckedBytes == 0) return;
        RateSample sample = ack.RateSample;

        _roundDeliveredBytes += ack.NewlyAckedBytes;
        UpdateRound(in sample);
        UpdateBandwidth(in sample);
        UpdateAckAggregation(ack.Now, ack.NewlyAckedBytes);
        if (ack.RttSampled) UpdateMinRtt(ack.Now, ack.Rtt.LatestRtt);

        switch (_state)
        {
            case BbrState.Startup:
                if (!_filledPipe) CheckFullPipe(in sample);
                if (_filledPipe) EnterDrain();
                break;
            case BbrState.ProbeBandwidth:
                AdvanceCycle(ack.Now, ack.PriorBytesInFlight, ack.BytesInFlight);
                break;
        }

        if (_state == BbrState.Drain && ack.BytesInFlight <= TargetInflight(Unit)) EnterProbeBandwidth(ack.Now);
        CheckProbeRtt(ack.Now, ack.BytesInFlight, sample.TotalDelivered);
        UpdatePacingRate();
        UpdateCongestionWindow(ack.NewlyAckedBytes, ack.RateSample.TotalDelivered);
    }

    public void OnCongestionEvent(in CongestionEvent congestion)
    {
        _roundLostPackets += congestion.LostPackets;
        _roundLostBytes += congestion.LostBytes;
        if (congestion.LostPackets > 0 && congestion.SentTime > _recoveryStart)
        {
            _recoveryStart = congestion.Now;
            _inRecovery = true;
        }

        // ECN-CE means a queue is building at the bottleneck: the pipe is full (as in BBR v2's startup exit).
        if (congestion.IsEcn && _state == BbrState.Startup)
        {
            _filledPipe = true;
            EnterDrain();
        }

        if (congestion.IsPersistentCongestion)
        {
            // Everything sent for several PTOs was lost: start again from a small window; the model is kept.
            _windowChangedSinceStart = true;
            _priorCongestionWindow = Math.Max(_priorCongestionWindow, _congestionWindow);
            _congestionWindow = MinimumWindow;
        }
    }

    public void OnMaxDatagramSizeChanged(int maxDatagramSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDatagramSize, NewReno.MinimumMaxDatagramSize);
        int previous = MaxDatagramSize;
        MaxDatagramSize = maxDatagramSize;
        if (!_windowChangedSinceStart && maxDatagramSize != previous) _congestionWindow = NewReno.InitialWindowFor(maxDatagramSize);
        _congestionWindow = Math.Max(_congestionWindow, MinimumWindow);
    }

    public long GetPacingRate(RttEstimator rtt)
    {
        ArgumentNullException.ThrowIfNull(rtt);
        if (_pacingRate > 0) return _pacingRate;

        // No bandwidth sample yet: the initial window per RTT at startup gain.
        return Pacer.RateFromWindow(_congestionWindow, rtt.SmoothedRtt, HighGain, Unit);
    }

    private void UpdateRound(in RateSample sample)
    {
        _roundStart = false;
        if (sample.Delivered <= 0 || sample.PriorDelivered < _nextRoundDelivered) return;
        _nextRoundDelivered = sample.TotalDelivered;
        _roundCount++;
        _roundStart = true;
        _probeRttRoundDone = true;

        // A startup round that lost a large share of its packets overflowed the bottleneck's buffer: the pipe is
        // full, whatever the bandwidth samples say. Random loss, even at 10 %, stays well below the limit.
        if (_state == BbrState.Startup
            && _roundLostPackets >= StartupLossCountLimit
            && _roundLostBytes * Unit > (_roundLostBytes + _roundDeliveredBytes) * StartupLossRateLimit)
        {
            _filledPipe = true;
        }

        _roundLostPackets = 0;
        _roundLostBytes = 0;
        _roundDeliveredBytes = 0;
    }

    private void UpdateBandwidth(in RateSample sample)
    {
        if (!sample.IsValid) return;

        // Application-limited samples say only that the path carries at least that much.
        if (!sample.IsAppLimited || sample.DeliveryRate >= _bandwidth.Best) _bandwidth.Update(sample.DeliveryRate, _roundCount);
    }

    private void UpdateMinRtt(Instant now, TimeSpan rtt)
    {
        if (rtt <= TimeSpan.Zero) return;
        bool expired = now - _minRttStamp > MinRttWindow;
        if (rtt <= _minRtt || expired)
        {
            if (expired && _state != BbrState.ProbeRtt) _minRttExpired = true;
            _minRtt = rtt;
            _minRttStamp = now;
        }
    }

    /// <summary>ACK aggregation: how far acknowledgments run ahead of what BtlBw predicts (Linux's extra_acked).</summary>
    private void UpdateAckAggregation(Instant now, long ackedBytes)
    {
        long bandwidth = _bandwidth.Best;
        if (bandwidth <= 0) return;
        if (_aggregationEpochStart.IsNever)
        {
            _aggregationEpochStart = now;
            _aggregationEpochAcked = 0;
        }

        long expected = (long)((Int128)bandwidth * (now - _aggregationEpochStart).Ticks / TimeSpan.TicksPerSecond);
        if (_aggregationEpochAcked <= expected || _aggregationEpochAcked + ackedBytes >= (long)1 << 40)
        {
            // Acknowledgments fell back to the expected rate: a new aggregation epoch starts.
            _aggregationEpochStart = now;
            _aggregationEpochAcked = 0;
            expected = 0;
        }

        _aggregationEpochAcked += ackedBytes;
        long extra = _aggregationEpochAcked - expected;
        long cap = (long)((Int128)bandwidth * MaxAckAggregation.Ticks / TimeSpan.TicksPerSecond);
        extra = Math.Min(Math.Min(extra, _congestionWindow), cap);
        _extraAcked.Update(Math.Max(0, extra), _roundCount);
    }

    /// <summary>Startup ends when three rounds in a row raised BtlBw by less than 25 %.</summary>
    private void CheckFullPipe(in RateSample sample)
    {
        if (_filledPipe || !_roundStart || sample.IsAppLimited) return;
        long bandwidth = _bandwidth.Best;
        if (bandwidth * Unit >= _fullBandwidth * FullBandwidthGrowth)
        {
            _fullBandwidth = bandwidth;
            _fullBandwidthCount = 0;
            return;
        }

        if (++_fullBandwidthCount >= FullBandwidthRounds) _filledPipe = true;
    }

    private void EnterDrain()
    {
        _state = BbrState.Drain;
        _pacingGain = DrainGain;
        _cwndGain = HighGain;
    }

    private void EnterProbeBandwidth(Instant now)
    {
        _state = BbrState.ProbeBandwidth;
        _cwndGain = CwndGain;

        // A pseudo-random first phase (never the draining one), so competing flows do not probe in lockstep.
        int start = (int)((ulong)now.Ticks * 0x9E3779B97F4A7C15UL >> 61);
        _cycleIndex = start == 1 ? 0 : start % ProbeBandwidthGains.Length;
        _cycleStart = now;
        _pacingGain = ProbeBandwidthGains[_cycleIndex];
    }

    private void AdvanceCycle(Instant now, long priorInflight, long inflight)
    {
        bool fullLength = _minRtt != TimeSpan.MaxValue && now - _cycleStart > _minRtt;
        bool advance = _pacingGain switch
        {
            // Probing: stay until the extra inflight is out (or a full phase passed with nothing to add).
            > Unit => fullLength && priorInflight >= TargetInflight(_pacingGain),
            // Draining: leave early once the queue is gone.
            < Unit => fullLength || inflight <= TargetInflight(Unit),
            _ => fullLength,
        };
        if (!advance) return;
        _cycleIndex = (_cycleIndex + 1) % ProbeBandwidthGains.Length;
        _cycleStart = now;
        _pacingGain = ProbeBandwidthGains[_cycleIndex];
    }

    private void CheckProbeRtt(Instant now, long inflight, long totalDelivered)
    {
        if (_state != BbrState.ProbeRtt && _minRttExpired)
        {
            _minRttExpired = false;
            _state = BbrState.ProbeRtt;
            _pacingGain = Unit;
            _priorCongestionWindow = Math.Max(_priorCongestionWindow, _congestionWindow);
            _probeRttDoneStamp = Instant.Never;
        }

        if (_state != BbrState.ProbeRtt) return;
        if (_probeRttDoneStamp.IsNever)
        {
            if (inflight <= ProbeRttWindow)
            {
                _probeRttDoneStamp = now + ProbeRttDuration;
                _probeRttRoundDone = false;
                _nextRoundDelivered = totalDelivered;
            }

            return;
        }

        if (_probeRttRoundDone && now >= _probeRttDoneStamp)
        {
            _minRttStamp = now;
            _congestionWindow = Math.Max(_congestionWindow, _priorCongestionWindow);
            _priorCongestionWindow = 0;
            if (_filledPipe) EnterProbeBandwidth(now);
            else
            {
                _state = BbrState.Startup;
                _pacingGain = HighGain;
                _cwndGain = HighGain;
            }
        }
    }

    private long ProbeRttWindow => Math.Max(MinimumWindow, TargetInflight(Unit) / 2);

    /// <summary>gain × BtlBw × RTprop in bytes (the initial window before there is a model).</summary>
    private long TargetInflight(int gain)
    {
        long bandwidth = _bandwidth.Best;
        if (bandwidth <= 0 || _minRtt == TimeSpan.MaxValue) return NewReno.InitialWindowFor(MaxDatagramSize);
        Int128 bdp = (Int128)bandwidth * _minRtt.Ticks / TimeSpan.TicksPerSecond;
        return (long)Int128.Min(bdp * gain / Unit, long.MaxValue / 4);
    }

    private void UpdatePacingRate()
    {
        long bandwidth = _bandwidth.Best;
        if (bandwidth <= 0) return;
        long rate = (long)((Int128)bandwidth * _pacingGain * (100 - PacingMarginPercent) / (Unit * 100));

        // Startup never slows down on a sample below the estimate it already paces at.
        if (_filledPipe || rate > _pacingRate) _pacingRate = Math.Max(rate, 1);
    }

    private void UpdateCongestionWindow(long ackedBytes, long totalDelivered)
    {
        long target = TargetInflight(_cwndGain);
        if (_filledPipe) target += _extraAcked.Best;
        target = Math.Max(target, MinimumWindow);

        long window = _congestionWindow;
        if (_filledPipe) window = Math.Min(window + ackedBytes, target);
        else if (window < target || totalDelivered < NewReno.InitialWindowFor(MaxDatagramSize)) window += ackedBytes;

        window = Math.Max(window, MinimumWindow);
        if (_state == BbrState.ProbeRtt) window = Math.Min(window, ProbeRttWindow);
        if (window != _congestionWindow) _windowChangedSinceStart = true;
        _congestionWindow = window;
    }
}

/// <summary>The states of <see cref="Bbr"/>.</summary>
public enum BbrState
{
    Startup,
    Drain,
    ProbeBandwidth,
    ProbeRtt,
}
