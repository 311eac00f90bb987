using AwgProxy.Quic.Recovery;

namespace AwgProxy.Quic.Congestion;

/// <summary>
/// A sender-side congestion controller (RFC 9002 section 7). <see cref="LossDetection"/> drives it: it owns bytes in
/// flight and reports every sent, acknowledged and lost in-flight packet, so a controller only keeps its own state.
/// </summary>
/// <remarks>
/// Per ACK frame the calls are: one <see cref="OnCongestionEvent"/> if in-flight packets were declared lost (or the
/// ECN-CE count grew), then <see cref="OnPacketAcked"/> for each newly acknowledged in-flight packet in packet
/// number order, then one <see cref="OnAckProcessed"/>. Loss found by the loss timer produces only
/// <see cref="OnCongestionEvent"/>. Window-based controllers (NewReno, CUBIC) work per packet; rate-based ones (BBR)
/// mostly use the per-ACK summary. Time is always an argument.
/// </remarks>
public interface ICongestionController
{
    /// <summary>congestion_window: the most bytes that may be in flight.</summary>
    long CongestionWindow { get; }

    /// <summary>ssthresh, or <see cref="long.MaxValue"/> while it is infinite.</summary>
    long SlowStartThreshold { get; }

    /// <summary>True while the window grows by the bytes acknowledged.</summary>
    bool InSlowStart { get; }

    /// <summary>True from a congestion event until a packet sent after it is acknowledged.</summary>
    bool InRecovery { get; }

    /// <summary>max_datagram_size the windows are computed from.</summary>
    int MaxDatagramSize { get; }

    /// <summary>An in-flight packet was sent; <paramref name="bytesInFlight"/> already includes it.</summary>
    void OnPacketSent(Instant now, int bytes, long bytesInFlight);

    /// <summary>An in-flight packet was newly acknowledged.</summary>
    void OnPacketAcked(in AckedPacket packet);

    /// <summary>An ACK frame was processed (after its <see cref="OnPacketAcked"/> calls).</summary>
    void OnAckProcessed(in AckEvent ack);

    /// <summary>In-flight packets were declared lost, or the peer reported more ECN-CE marks.</summary>
    void OnCongestionEvent(in CongestionEvent congestion);

    /// <summary>The path's maximum datagram size changed (DPLPMTUD, RFC 9000 section 14).</summary>
    void OnMaxDatagramSizeChanged(int maxDatagramSize);

    /// <summary>
    /// The rate at which to pace in-flight packets, in bytes per second, or <see cref="long.MaxValue"/> for no
    /// pacing. Window-based controllers use N * cwnd / smoothed_rtt (RFC 9002 section 7.7, see
    /// <see cref="Pacer.RateFromWindow"/>).
    /// </summary>
    long GetPacingRate(RttEstimator rtt);
}
