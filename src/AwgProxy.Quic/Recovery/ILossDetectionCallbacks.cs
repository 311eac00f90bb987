namespace AwgProxy.Quic.Recovery;

/// <summary>
/// Receives the fate of sent packets from <see cref="LossDetection"/>. Implement it on a struct (a ref struct is
/// allowed) or a class; it is passed by reference to generic methods, so no call allocates or boxes.
/// </summary>
/// <remarks>
/// The callbacks must not call back into the <see cref="LossDetection"/> that invoked them. Each sent packet is
/// reported at most once, through exactly one of the three methods.
/// </remarks>
public interface ILossDetectionCallbacks
{
    /// <summary>The peer acknowledged the packet: its frames were delivered.</summary>
    void OnPacketAcked(PacketNumberSpace space, in SentPacket packet);

    /// <summary>
    /// The packet was declared lost (RFC 9002 section 6.1): retransmit what needs retransmitting (RFC 9000
    /// section 13.3). Packets that were not in flight (e.g. ACK-only) are reported too.
    /// </summary>
    void OnPacketLost(PacketNumberSpace space, in SentPacket packet);

    /// <summary>
    /// The packet's space was discarded (keys dropped, 0-RTT rejected, Retry) before its fate was known.
    /// </summary>
    void OnPacketDiscarded(PacketNumberSpace space, in SentPacket packet);
}
