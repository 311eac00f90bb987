namespace AwgProxy.Quic.Streams;

/// <summary>
/// RFC 9000 section 2.1, Table 1 (Stream ID Types): the two least significant bits of a stream ID.
/// The first stream ID of each type is the type's value; successive streams of a type add 4.
/// </summary>
/// <remarks>
/// <code>
/// | Bits | Stream Type                      |
/// |:-----|:---------------------------------|
/// | 0x00 | Client-Initiated, Bidirectional  |
/// | 0x01 | Server-Initiated, Bidirectional  |
/// | 0x02 | Client-Initiated, Unidirectional |
/// | 0x03 | Server-Initiated, Unidirectional |
/// </code>
/// </remarks>
public enum StreamType : byte
{
    ClientBidirectional = 0x00,
    ServerBidirectional = 0x01,
    ClientUnidirectional = 0x02,
    ServerUnidirectional = 0x03,
}

public static class StreamTypeExtensions
{
    public static StreamType Of(StreamInitiator initiator, StreamDirection direction) =>
        (StreamType)((byte)initiator | ((byte)direction << 1));

    public static StreamInitiator Initiator(this StreamType type) => (StreamInitiator)((byte)type & 0x01);

    public static StreamDirection Direction(this StreamType type) => (StreamDirection)(((byte)type >> 1) & 0x01);

    public static bool IsLocal(this StreamType type, StreamInitiator localRole) => type.Initiator() == localRole;

    /// <summary>
    /// Whether an endpoint playing <paramref name="localRole"/> has a sending part on streams of this type:
    /// every bidirectional stream, and the unidirectional streams it opens itself.
    /// </summary>
    public static bool HasSendPart(this StreamType type, StreamInitiator localRole) =>
        type.Direction() == StreamDirection.Bidirectional || type.IsLocal(localRole);

    /// <summary>
    /// Whether an endpoint playing <paramref name="localRole"/> has a receiving part on streams of this type:
    /// every bidirectional stream, and the unidirectional streams its peer opens.
    /// </summary>
    public static bool HasReceivePart(this StreamType type, StreamInitiator localRole) =>
        type.Direction() == StreamDirection.Bidirectional || !type.IsLocal(localRole);
}
