namespace AwgProxy.Quic.Recovery;

/// <summary>
/// What loss recovery remembers about one sent packet (RFC 9002 Appendix A.1.1), plus an opaque
/// <see cref="Token"/> with which the connection finds what the packet carried, the delivery-rate stamp of
/// draft-cheng-iccrg-delivery-rate-estimation, its ECN marking and whether it was a path MTU probe.
/// </summary>
/// <param name="PacketNumber">The full packet number.</param>
/// <param name="TimeSent">time_sent.</param>
/// <param name="Bytes">sent_bytes: the QUIC packet's size including header and AEAD tag, without UDP/IP.</param>
/// <param name="IsAckEliciting">ack_eliciting: the packet holds a frame other than ACK, PADDING, CONNECTION_CLOSE.</param>
/// <param name="IsInFlight">in_flight: the packet counts toward bytes in flight (ack-eliciting or PADDING).</param>
/// <param name="Token">The caller's handle, returned unchanged in acknowledgment and loss callbacks.</param>
public readonly record struct SentPacket(
    ulong PacketNumber,
    Instant TimeSent,
    int Bytes,
    bool IsAckEliciting,
    bool IsInFlight,
    long Token)
{
    /// <summary>P.delivered: bytes delivered on the connection when the packet was sent.</summary>
    public long Delivered { get; init; }

    /// <summary>P.delivered_time: when <see cref="Delivered"/> last grew before the packet was sent.</summary>
    public Instant DeliveredTime { get; init; }

    /// <summary>P.first_sent_time: when the first packet of the flight this one belongs to was sent.</summary>
    public Instant FirstSentTime { get; init; }

    /// <summary>P.is_app_limited: the sender was application-limited when it sent the packet.</summary>
    public bool IsAppLimited { get; init; }

    /// <summary>The ECN codepoint the packet's datagram carried.</summary>
    public EcnCodepoint Ecn { get; init; }

    /// <summary>A DPLPMTUD probe (RFC 8899): its loss says nothing about congestion.</summary>
    public bool IsPathMtuProbe { get; init; }
}
