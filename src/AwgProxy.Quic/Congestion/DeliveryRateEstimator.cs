using AwgProxy.Quic.Recovery;

namespace AwgProxy.Quic.Congestion;

/// <summary>
/// The delivery-rate estimator of draft-cheng-iccrg-delivery-rate-estimation: stamps each in-flight packet with the
/// connection's delivery state when it is sent, and turns the acknowledgments of one ACK frame into a
/// <see cref="RateSample"/>. <see cref="LossDetection"/> owns one and hands each sample to the controller
/// (<see cref="AckEvent.RateSample"/>). Stamps live in the <see cref="SentPacket"/> records: nothing is allocated.
/// </summary>
public sealed class DeliveryRateEstimator
{
    private Instant _deliveredTime;
    private Instant _firstSentTime;
    private long _appLimitedUntil;

    // The sample being built from the current ACK frame.
    private bool _hasSample;
    private long _priorDelivered;
    private Instant _priorTime;
    private TimeSpan _sendElapsed;
    private TimeSpan _ackElapsed;
    private bool _sampleAppLimited;

    /// <summary>C.delivered: bytes of in-flight packets acknowledged over the connection's lifetime.</summary>
    public long Delivered { get; private set; }

    /// <summary>True while the application-limited mark is set (until what was in flight then is delivered).</summary>
    public bool IsAppLimited => _appLimitedUntil != 0;

    /// <summary>
    /// Stamps a packet about to be recorded (section 3.2). <paramref name="bytesInFlight"/> excludes the packet: when it
    /// is zero a new flight starts and the clocks restart.
    /// </summary>
    public SentPacket Stamp(in SentPacket packet, long bytesInFlight)
    {
        if (bytesInFlight == 0)
        {
            _firstSentTime = packet.TimeSent;
            _deliveredTime = packet.TimeSent;
        }

        return packet with
        {
            Delivered = Delivered,
            DeliveredTime = _deliveredTime,
            FirstSentTime = _firstSentTime,
            IsAppLimited = _appLimitedUntil != 0,
        };
    }

    /// <summary>
    /// The sender ran out of data (or flow-control credit) with room in the congestion window (section 3.4): samples
    /// taken until everything now in flight is delivered are marked application-limited.
    /// </summary>
    public void OnApplicationLimited(long bytesInFlight) => _appLimitedUntil = Math.Max(Delivered + bytesInFlight, 1);

    /// <summary>An in-flight packet was newly acknowledged at <paramref name="now"/> (section 3.3, per packet).</summary>
    public void OnPacketAcked(Instant now, in SentPacket packet)
    {
        Delivered += packet.Bytes;
        _deliveredTime = now;

        // The most recently sent packet gives the freshest sample.
        if (!_hasSample || packet.Delivered >= _priorDelivered)
        {
            _hasSample = true;
            _priorDelivered = packet.Delivered;
            _priorTime = packet.DeliveredTime;
            _sampleAppLimited = packet.IsAppLimited;
            _sendElapsed = packet.TimeSent - packet.FirstSentTime;
            _ackElapsed = _deliveredTime - packet.DeliveredTime;
            _firstSentTime = packet.TimeSent;
        }
    }

    /// <summary>Finishes the sample of the current ACK frame (section 3.3, per ACK) and starts a new one.</summary>
    /// <param name="minRtt">The path's min_rtt (zero before a sample): shorter intervals are not trusted.</param>
    public RateSample TakeSample(TimeSpan minRtt)
    {
        if (!_hasSample) return new RateSample(0, 0, TimeSpan.Zero, Delivered, Delivered, IsAppLimited, false);
        _hasSample = false;

        // The application-limited phase ends once the data in flight when it began has been delivered.
        if (_appLimitedUntil != 0 && Delivered > _appLimitedUntil) _appLimitedUntil = 0;

        long delivered = Delivered - _priorDelivered;
        TimeSpan interval = _sendElapsed > _ackElapsed ? _sendElapsed : _ackElapsed;
        bool valid = !_priorTime.IsNever && interval > TimeSpan.Zero && interval >= minRtt && delivered > 0;
        long rate = valid ? (long)Int128.Min(long.MaxValue, (Int128)delivered * TimeSpan.TicksPerSecond / interval.Ticks) : 0;
        return new RateSample(rate, delivered, interval, _priorDelivered, Delivered, _sampleAppLimited, valid);
    }
}
