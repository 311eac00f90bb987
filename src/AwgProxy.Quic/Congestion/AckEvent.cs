using AwgProxy.Quic.Recovery;

namespace AwgProxy.Quic.Congestion;

/// <summary>Summary of one processed ACK frame, as handed to <see cref="ICongestionController.OnAckProcessed"/>.</summary>
/// <param name="Now">When the ACK frame was received.</param>
/// <param name="Space">The packet number space of the ACK frame.</param>
/// <param name="NewlyAckedBytes">Bytes of in-flight packets this frame newly acknowledged.</param>
/// <param name="NewlyAckedPackets">In-flight packets this frame newly acknowledged.</param>
/// <param name="LargestAcked">The largest packet number newly acknowledged.</param>
/// <param name="LargestAckedTimeSent">When that packet was sent (delivery-rate and round-trip accounting).</param>
/// <param name="PriorBytesInFlight">Bytes in flight before this frame was processed.</param>
/// <param name="BytesInFlight">Bytes in flight after the acknowledged and lost packets were removed.</param>
/// <param name="IsApplicationLimited">See <see cref="AckedPacket.IsApplicationLimited"/>.</param>
/// <param name="RttSampled">Whether this frame produced an RTT sample.</param>
/// <param name="Rtt">The path's RTT estimate.</param>
/// <param name="RateSample">The delivery-rate sample of this frame (model-based controllers such as BBR use it).</param>
public readonly record struct AckEvent(
    Instant Now,
    PacketNumberSpace Space,
    long NewlyAckedBytes,
    int NewlyAckedPackets,
    ulong LargestAcked,
    Instant LargestAckedTimeSent,
    long PriorBytesInFlight,
    long BytesInFlight,
    bool IsApplicationLimited,
    bool RttSampled,
    RttEstimator Rtt,
    RateSample RateSample = default);
