namespace AwgProxy.Quic.Connections;

/// <summary>The retransmittable frames a sent packet can carry, recorded so that loss requeues them and acknowledgment releases them.</summary>
internal enum SentFrameKind : byte
{
    Crypto,
    Stream,
    ResetStream,
    StopSending,
    MaxData,
    MaxStreamData,
    MaxStreams,
    DataBlocked,
    StreamDataBlocked,
    StreamsBlocked,
    NewConnectionId,
    RetireConnectionId,
    HandshakeDone,
}

/// <summary>
/// One frame of a sent packet, as much as is needed to act on its fate (RFC 9000 section 13.3): not the bytes, which
/// stay in the stream's send buffer, only where they are.
/// </summary>
/// <param name="Kind">The frame type.</param>
/// <param name="Id">Stream ID, or connection ID sequence number.</param>
/// <param name="Value">Stream or CRYPTO offset, or the limit a MAX_* / *_BLOCKED frame carried.</param>
/// <param name="Length">Data length of a STREAM or CRYPTO frame.</param>
/// <param name="Flag">FIN of a STREAM frame; "bidirectional" of MAX_STREAMS / STREAMS_BLOCKED.</param>
internal readonly record struct SentFrame(SentFrameKind Kind, ulong Id, ulong Value, int Length, bool Flag);
