namespace AwgProxy.Quic.Streams;

/// <summary>
/// RFC 9000 section 4.6, both ways and both directions: our limits on the peer's bidirectional and unidirectional
/// streams, the peer's limits on ours, and the stream-ID checks every received stream frame goes through.
/// </summary>
public sealed class StreamLimits
{
    /// <param name="localRole">Whether we are the client or the server.</param>
    /// <param name="maxIncomingBidirectional">Our initial_max_streams_bidi.</param>
    /// <param name="maxIncomingUnidirectional">Our initial_max_streams_uni.</param>
    public StreamLimits(StreamInitiator localRole, ulong maxIncomingBidirectional, ulong maxIncomingUnidirectional)
    {
        LocalRole = localRole;
        StreamInitiator peerRole = localRole == StreamInitiator.Client ? StreamInitiator.Server : StreamInitiator.Client;
        IncomingBidirectional = new IncomingStreamLimit(StreamTypeExtensions.Of(peerRole, StreamDirection.Bidirectional), maxIncomingBidirectional);
        IncomingUnidirectional = new IncomingStreamLimit(StreamTypeExtensions.Of(peerRole, StreamDirection.Unidirectional), maxIncomingUnidirectional);
        OutgoingBidirectional = new OutgoingStreamLimit(StreamTypeExtensions.Of(localRole, StreamDirection.Bidirectional));
        OutgoingUnidirectional = new OutgoingStreamLimit(StreamTypeExtensions.Of(localRole, StreamDirection.Unidirectional));
    }

    public StreamInitiator LocalRole { get; }

    public IncomingStreamLimit IncomingBidirectional { get; }

    public IncomingStreamLimit IncomingUnidirectional { get; }

    public OutgoingStreamLimit OutgoingBidirectional { get; }

    public OutgoingStreamLimit OutgoingUnidirectional { get; }

    public IncomingStreamLimit Incoming(StreamDirection direction) =>
        direction == StreamDirection.Bidirectional ? IncomingBidirectional : IncomingUnidirectional;

    public OutgoingStreamLimit Outgoing(StreamDirection direction) =>
        direction == StreamDirection.Bidirectional ? OutgoingBidirectional : OutgoingUnidirectional;

    /// <summary>Applies the peer's initial_max_streams_bidi / _uni (TRANSPORT_PARAMETER_ERROR above 2^60).</summary>
    public TransportErrorCode OnPeerTransportParameters(ulong initialMaxStreamsBidirectional, ulong initialMaxStreamsUnidirectional)
    {
        if (initialMaxStreamsBidirectional > StreamId.MaxCountPerType || initialMaxStreamsUnidirectional > StreamId.MaxCountPerType)
        {
            return TransportErrorCode.TRANSPORT_PARAMETER_ERROR;
        }

        OutgoingBidirectional.OnTransportParameter(initialMaxStreamsBidirectional);
        OutgoingUnidirectional.OnTransportParameter(initialMaxStreamsUnidirectional);
        return TransportErrorCode.NO_ERROR;
    }

    /// <summary>
    /// The checks for a received frame of <paramref name="kind"/> naming <paramref name="id"/>, changing nothing:
    /// STREAM_STATE_ERROR for the wrong direction (see <see cref="StreamFrameKindExtensions.CheckDirection"/>) or
    /// for one of our streams that we have not opened yet; STREAM_LIMIT_ERROR for a peer stream beyond our limit.
    /// On NO_ERROR, a peer stream is then opened with <see cref="IncomingStreamLimit.Open"/>.
    /// </summary>
    public TransportErrorCode CheckReceivedFrame(StreamFrameKind kind, StreamId id)
    {
        TransportErrorCode error = kind.CheckDirection(id, LocalRole);
        if (error != TransportErrorCode.NO_ERROR) return error;
        if (id.IsLocal(LocalRole))
        {
            return Outgoing(id.Direction).IsOpened(id) ? TransportErrorCode.NO_ERROR : TransportErrorCode.STREAM_STATE_ERROR;
        }

        return Incoming(id.Direction).Check(id);
    }
}
