namespace AwgProxy.Quic.Congestion;

/// <summary>
/// A congestion signal, as handed to <see cref="ICongestionController.OnCongestionEvent"/>: in-flight packets were
/// declared lost, or the peer's ECN-CE count grew (RFC 9002 sections 7.3.2 and B.6).
/// </summary>
/// <param name="Now">When the signal was detected.</param>
/// <param name="SentTime">
/// When the newest lost packet was sent (for ECN: when the largest acknowledged packet was sent). A signal about
/// a packet sent before the current recovery period started does not reduce the window again.
/// </param>
/// <param name="LostBytes">Bytes of in-flight packets declared lost (0 for an ECN signal).</param>
/// <param name="LostPackets">In-flight packets declared lost (0 for an ECN signal).</param>
/// <param name="IsEcn">True when the signal is an ECN-CE increase rather than loss.</param>
/// <param name="IsPersistentCongestion">
/// The losses span more than the persistent congestion duration with nothing acknowledged in between
/// (RFC 9002 section 7.6): collapse the window to the minimum.
/// </param>
/// <param name="BytesInFlight">Bytes in flight after the lost packets were removed.</param>
public readonly record struct CongestionEvent(
    Instant Now,
    Instant SentTime,
    long LostBytes,
    int LostPackets,
    bool IsEcn,
    bool IsPersistentCongestion,
    long BytesInFlight);
