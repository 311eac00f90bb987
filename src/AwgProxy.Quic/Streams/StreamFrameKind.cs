namespace AwgProxy.Quic.Streams;

/// <summary>The frames that name a stream ID (RFC 9000 section 3.4, Permitted Frame Types).</summary>
public enum StreamFrameKind : byte
{
    /// <summary>STREAM (sent by the sending part, received by the receiving part).</summary>
    Stream,

    /// <summary>RESET_STREAM (sending part to receiving part).</summary>
    ResetStream,

    /// <summary>STREAM_DATA_BLOCKED (sending part to receiving part).</summary>
    StreamDataBlocked,

    /// <summary>MAX_STREAM_DATA (receiving part to sending part).</summary>
    MaxStreamData,

    /// <summary>STOP_SENDING (receiving part to sending part).</summary>
    StopSending,
}

public static class StreamFrameKindExtensions
{
    /// <summary>
    /// Whether a received frame of this kind is addressed to our receiving part (STREAM, RESET_STREAM,
    /// STREAM_DATA_BLOCKED) rather than to our sending part (MAX_STREAM_DATA, STOP_SENDING).
    /// </summary>
    public static bool TargetsReceivePart(this StreamFrameKind kind) =>
        kind is StreamFrameKind.Stream or StreamFrameKind.ResetStream or StreamFrameKind.StreamDataBlocked;

    /// <summary>
    /// RFC 9000 sections 19.4, 19.5, 19.8, 19.10, 19.13: STREAM_STATE_ERROR when a received frame names a part the
    /// stream does not have at this endpoint: STREAM, RESET_STREAM or STREAM_DATA_BLOCKED on a send-only stream
    /// (our unidirectional stream); MAX_STREAM_DATA or STOP_SENDING on a receive-only stream (the peer's
    /// unidirectional stream). Whether the stream exists or is within limits is <see cref="StreamLimits"/>' job.
    /// </summary>
    public static TransportErrorCode CheckDirection(this StreamFrameKind kind, StreamId id, StreamInitiator localRole)
    {
        bool allowed = kind.TargetsReceivePart() ? id.HasReceivePart(localRole) : id.HasSendPart(localRole);
        return allowed ? TransportErrorCode.NO_ERROR : TransportErrorCode.STREAM_STATE_ERROR;
    }
}
