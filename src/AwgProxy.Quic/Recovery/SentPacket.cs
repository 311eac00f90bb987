namespace AwgProxy.Quic.Recovery;

/// <summary>
/// What loss recovery remembers about one sent packet (RFC 9002 Appendix A.1.1), plus an opaque
/// <see cref="Token"/> with which the connection finds what the packet carried.
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
    long Token);
