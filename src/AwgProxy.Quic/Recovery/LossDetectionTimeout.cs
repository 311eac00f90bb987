namespace AwgProxy.Quic.Recovery;

/// <summary>What the caller must do after <see cref="LossDetection.OnLossDetectionTimeout{TCallbacks}"/>.</summary>
public enum LossDetectionAction
{
    /// <summary>The timer had not expired or had nothing to do.</summary>
    None = 0,

    /// <summary>Time-threshold loss detection declared packets lost (already reported to the callbacks).</summary>
    PacketsLost = 1,

    /// <summary>
    /// A probe timeout: send <see cref="LossDetectionTimeout.Count"/> ack-eliciting packets in
    /// <see cref="LossDetectionTimeout.Space"/>, ignoring the congestion window (RFC 9002 sections 6.2.4 and 7.5).
    /// </summary>
    SendProbes = 2,
}

/// <summary>The outcome of a loss detection timer expiry.</summary>
/// <param name="Action">What happened.</param>
/// <param name="Space">The space in which packets were lost, or in which to send the probes.</param>
/// <param name="Count">Packets declared lost, or probe packets to send.</param>
/// <param name="IsAntiDeadlock">
/// The client's anti-deadlock probe (RFC 9002 section 6.2.2.1): with nothing in flight, send one Handshake packet,
/// or without Handshake keys one Initial packet in a datagram padded to at least 1200 bytes.
/// </param>
public readonly record struct LossDetectionTimeout(
    LossDetectionAction Action,
    PacketNumberSpace Space,
    int Count,
    bool IsAntiDeadlock)
{
    public static LossDetectionTimeout None => default;
}
