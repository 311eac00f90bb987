using AwgProxy.Quic.Recovery;

namespace AwgProxy.Quic.Congestion;

/// <summary>One newly acknowledged in-flight packet, as handed to <see cref="ICongestionController.OnPacketAcked"/>.</summary>
/// <param name="Now">When the ACK frame was received.</param>
/// <param name="TimeSent">When the packet was sent (decides whether it belongs to the current recovery period).</param>
/// <param name="Bytes">The packet's sent_bytes.</param>
/// <param name="IsApplicationLimited">
/// The sender did not fill the congestion window for lack of data or flow control credit (RFC 9002 section 7.8):
/// the window must not grow on this acknowledgment.
/// </param>
/// <param name="Rtt">The path's RTT estimate, already updated with this ACK frame's sample.</param>
public readonly record struct AckedPacket(Instant Now, Instant TimeSent, int Bytes, bool IsApplicationLimited, RttEstimator Rtt);
