namespace AwgProxy.Quic.Streams;

/// <summary>
/// RFC 9000 section 4.6: the limit we set on the streams of one type that the peer opens (initial_max_streams_bidi
/// / _uni, then MAX_STREAMS). The peer may use stream indexes below <see cref="Limit"/>; using one opens every
/// lower index of the type too (section 3.2). As streams close, the limit is raised to keep up to
/// <see cref="MaxConcurrent"/> streams open.
/// </summary>
/// <remarks>
/// A MAX_STREAMS update is due once the peer's remaining credit (<c>Limit - OpenedCount</c>) drops below half of
/// <see cref="MaxConcurrent"/> and closed streams allow a higher limit; the new limit is
/// <c>ClosedCount + MaxConcurrent</c> (at most 2^60).
/// </remarks>
public sealed class IncomingStreamLimit
{
    private bool _resendPending;

    /// <param name="type">A stream type the peer initiates.</param>
    /// <param name="maxConcurrent">Our initial_max_streams_* value: how many of these streams may be open at once.</param>
    public IncomingStreamLimit(StreamType type, ulong maxConcurrent)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxConcurrent, StreamId.MaxCountPerType);
        Type = type;
        MaxConcurrent = maxConcurrent;
        Limit = maxConcurrent;
    }

    public StreamType Type { get; }

    public ulong MaxConcurrent { get; }

    /// <summary>The stream count last advertised (transport parameter or MAX_STREAMS).</summary>
    public ulong Limit { get; private set; }

    /// <summary>How many streams of this type the peer has opened (explicitly or implicitly): the next index.</summary>
    public ulong OpenedCount { get; private set; }

    /// <summary>How many of them are fully closed (reported through <see cref="OnStreamClosed"/>).</summary>
    public ulong ClosedCount { get; private set; }

    /// <summary>Whether a MAX_STREAMS frame should be sent (threshold reached or a resend requested).</summary>
    public bool IsMaxStreamsUpdateDue => _resendPending || (NextLimit > Limit && Limit - OpenedCount < (MaxConcurrent + 1) / 2);

    private ulong NextLimit => Math.Min(ClosedCount + MaxConcurrent, StreamId.MaxCountPerType);

    /// <summary>STREAM_LIMIT_ERROR if <paramref name="id"/> is at or beyond the limit. Changes nothing.</summary>
    public TransportErrorCode Check(StreamId id)
    {
        RequireType(id);
        return id.Index >= Limit ? TransportErrorCode.STREAM_LIMIT_ERROR : TransportErrorCode.NO_ERROR;
    }

    /// <summary>Whether the peer has opened <paramref name="id"/> (it may have closed since).</summary>
    public bool IsOpened(StreamId id)
    {
        RequireType(id);
        return id.Index < OpenedCount;
    }

    /// <summary>
    /// A frame from the peer referenced <paramref name="id"/>. Opens it and every lower unopened stream of the type:
    /// the caller creates <paramref name="openedCount"/> streams starting at <paramref name="firstOpened"/> (stepping
    /// by 4). <paramref name="openedCount"/> is 0 when the stream was opened before (if the caller no longer holds
    /// it, it was closed and the frame is ignored). Returns STREAM_LIMIT_ERROR, changing nothing, beyond the limit.
    /// </summary>
    public TransportErrorCode Open(StreamId id, out StreamId firstOpened, out ulong openedCount)
    {
        firstOpened = id;
        openedCount = 0;
        TransportErrorCode error = Check(id);
        if (error != TransportErrorCode.NO_ERROR) return error;
        if (id.Index < OpenedCount) return TransportErrorCode.NO_ERROR;

        firstOpened = StreamId.FromIndex(Type, OpenedCount);
        openedCount = id.Index - OpenedCount + 1;
        OpenedCount = id.Index + 1;
        return TransportErrorCode.NO_ERROR;
    }

    /// <summary>One of the peer's streams of this type reached a terminal state in both directions and was dropped.</summary>
    public void OnStreamClosed()
    {
        if (ClosedCount >= OpenedCount) throw new InvalidOperationException("More streams closed than were opened.");
        ClosedCount++;
    }

    /// <summary>The value for a MAX_STREAMS frame, recorded as advertised.</summary>
    public ulong TakeMaxStreamsUpdate()
    {
        _resendPending = false;
        Limit = Math.Max(Limit, NextLimit);
        return Limit;
    }

    /// <summary>A MAX_STREAMS frame carrying <paramref name="limit"/> was lost: resend if it is still current.</summary>
    public void OnMaxStreamsLost(ulong limit)
    {
        if (limit == Limit) _resendPending = true;
    }

    private void RequireType(StreamId id)
    {
        if (id.Type != Type) throw new ArgumentException($"Stream {id} is not of type {Type}.", nameof(id));
    }
}
