namespace AwgProxy.Quic.Congestion;

/// <summary>
/// One delivery-rate sample (draft-cheng-iccrg-delivery-rate-estimation section 3.3), taken per ACK frame that newly
/// acknowledged in-flight packets: the bytes delivered between the send of the most recently sent of those packets
/// and its acknowledgment, over the longer of the send and ACK intervals.
/// </summary>
/// <param name="DeliveryRate">Bytes per second; 0 when the sample is not valid.</param>
/// <param name="Delivered">rs.delivered: bytes delivered over the sample interval.</param>
/// <param name="Interval">rs.interval: max(send_elapsed, ack_elapsed).</param>
/// <param name="PriorDelivered">rs.prior_delivered: <see cref="TotalDelivered"/> when the sampled packet was sent (round counting).</param>
/// <param name="TotalDelivered">C.delivered after this ACK: bytes delivered on the connection so far.</param>
/// <param name="IsAppLimited">The sampled packet was sent while application-limited: the rate may understate the path.</param>
/// <param name="IsValid">An interval could be measured and it is not shorter than min_rtt (section 3.3).</param>
public readonly record struct RateSample(
    long DeliveryRate,
    long Delivered,
    TimeSpan Interval,
    long PriorDelivered,
    long TotalDelivered,
    bool IsAppLimited,
    bool IsValid);
