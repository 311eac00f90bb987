namespace AwgProxy.Quic.Streams;

/// <summary>
/// RFC 9000 section 4.6: the limit the peer sets on the streams of one type that we open (its
/// initial_max_streams_* transport parameter, then MAX_STREAMS, which only increase). Hands out stream IDs in
/// order and raises a STREAMS_BLOCKED signal, once per limit, when the application wants a stream it may not open.
/// </summary>
public sealed class OutgoingStreamLimit
{
    private ulong _blockedSignalledAt = ulong.MaxValue;
    private bool _blockedPending;

    /// <param name="type">A stream type we initiate.</param>
    /// <param name="initialLimit">The peer's limit; 0 until its transport parameters are known.</param>
    public OutgoingStreamLimit(StreamType type, ulong initialLimit = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(initialLimit, StreamId.MaxCountPerType);
        Type = type;
        Limit = initialLimit;
    }

    public StreamType Type { get; }

    /// <summary>How many streams of this type we may open in total.</summary>
    public ulong Limit { get; private set; }

    /// <summary>How many we have opened: the index of the next one.</summary>
    public ulong OpenedCount { get; private set; }

    public bool CanOpen => OpenedCount < Limit;

    /// <summary>Whether a STREAMS_BLOCKED frame carrying <see cref="Limit"/> should be sent.</summary>
    public bool IsStreamsBlockedPending => _blockedPending && !CanOpen;

    /// <summary>Whether we have opened <paramref name="id"/> (a peer frame for a higher one is STREAM_STATE_ERROR).</summary>
    public bool IsOpened(StreamId id)
    {
        if (id.Type != Type) throw new ArgumentException($"Stream {id} is not of type {Type}.", nameof(id));
        return id.Index < OpenedCount;
    }

    /// <summary>Allocates the next stream ID, or returns false (arming the STREAMS_BLOCKED signal) at the limit.</summary>
    public bool TryOpen(out StreamId id)
    {
        if (!CanOpen)
        {
            id = default;
            if (_blockedSignalledAt != Limit) _blockedPending = true;
            return false;
        }

        id = StreamId.FromIndex(Type, OpenedCount);
        OpenedCount++;
        return true;
    }

    /// <summary>
    /// A MAX_STREAMS frame from the peer. Values that do not increase the limit are ignored; above 2^60 is
    /// FRAME_ENCODING_ERROR (RFC 9000 section 4.6).
    /// </summary>
    public TransportErrorCode OnMaxStreams(ulong maxStreams)
    {
        if (maxStreams > StreamId.MaxCountPerType) return TransportErrorCode.FRAME_ENCODING_ERROR;
        Raise(maxStreams);
        return TransportErrorCode.NO_ERROR;
    }

    /// <summary>The peer's initial_max_streams_* transport parameter; above 2^60 is TRANSPORT_PARAMETER_ERROR.</summary>
    public TransportErrorCode OnTransportParameter(ulong initialMaxStreams)
    {
        if (initialMaxStreams > StreamId.MaxCountPerType) return TransportErrorCode.TRANSPORT_PARAMETER_ERROR;
        Raise(initialMaxStreams);
        return TransportErrorCode.NO_ERROR;
    }

    /// <summary>Takes the pending STREAMS_BLOCKED signal; <paramref name="limit"/> is the frame's Maximum Streams.</summary>
    public bool TryTakeStreamsBlocked(out ulong limit)
    {
        limit = Limit;
        bool pending = IsStreamsBlockedPending;
        _blockedPending = false;
        if (pending) _blockedSignalledAt = Limit;
        return pending;
    }

    /// <summary>A STREAMS_BLOCKED frame carrying <paramref name="limit"/> was lost: resend if still blocked there.</summary>
    public void OnStreamsBlockedLost(ulong limit)
    {
        if (limit == Limit && !CanOpen) _blockedPending = true;
    }

    private void Raise(ulong limit)
    {
        if (limit <= Limit) return;
        Limit = limit;
        _blockedPending = false;
    }
}
