namespace AwgProxy.Quic.Packets;

/// <summary>Why <see cref="PacketHeader.TryParse"/> rejected a packet. Every such packet is dropped.</summary>
public enum PacketHeaderError
{
    None = 0,

    /// <summary>The datagram ends inside the header.</summary>
    Truncated,

    /// <summary>The Fixed Bit is 0 (RFC 9000 section 17.2: not a valid QUIC version 1 packet).</summary>
    FixedBitZero,

    /// <summary>A version 1 connection ID longer than 20 bytes (RFC 9000 section 17.2).</summary>
    ConnectionIdTooLong,

    /// <summary>
    /// A long header with a version this stack does not speak. The version and both connection IDs
    /// (up to 255 bytes each, RFC 8999) are still filled in, so a server can answer with Version Negotiation.
    /// </summary>
    UnsupportedVersion,

    /// <summary>The Length field reaches past the end of the datagram.</summary>
    LengthBeyondDatagram,

    /// <summary>
    /// Too short to hold a 4-byte packet number allowance plus the 16-byte header protection sample, so it
    /// cannot be unprotected (RFC 9001 section 5.4.2).
    /// </summary>
    TooShortForSample,

    /// <summary>A Version Negotiation packet whose version list is empty or not a whole number of versions.</summary>
    InvalidVersionNegotiation,

    /// <summary>A Retry packet without room for its integrity tag, or with an empty token (RFC 9000 section 17.2.5.2).</summary>
    InvalidRetry,
}
