namespace AwgProxy.Quic.Streams;

/// <summary>The per-stream numbers a <see cref="QuicStreamState"/> is created with.</summary>
/// <param name="SendBufferCapacity">Most bytes our sending part buffers (unacknowledged plus unsent).</param>
/// <param name="PeerInitialMaxStreamData">The peer's initial limit for our sending part (see <see cref="SelectInitialMaxStreamData"/>).</param>
/// <param name="InitialReceiveWindow">Our initial limit for the peer's sending part (see <see cref="SelectInitialMaxStreamData"/>).</param>
/// <param name="MaxReceiveWindow">The largest auto-tuning may grow our receive window to.</param>
/// <param name="ActiveSendBuffers">The connection's count of send buffers holding data (send buffer auto-tuning), or null.</param>
public readonly record struct StreamSettings(
    int SendBufferCapacity,
    ulong PeerInitialMaxStreamData,
    ulong InitialReceiveWindow,
    ulong MaxReceiveWindow,
    ActiveSendBuffers? ActiveSendBuffers = null)
{
    /// <summary>
    /// RFC 9000 section 18.2: which of an endpoint's initial_max_stream_data_* transport parameters limits data
    /// sent to it on <paramref name="id"/>. <paramref name="parameterOwner"/> is the endpoint that sent the
    /// parameters: initial_max_stream_data_bidi_local applies to bidirectional streams it opened,
    /// _bidi_remote to bidirectional streams its peer opened, _uni to unidirectional streams its peer opened.
    /// Use our role with our parameters for the receive window, the peer's role with its parameters for send credit.
    /// </summary>
    public static ulong SelectInitialMaxStreamData(
        StreamId id, StreamInitiator parameterOwner, ulong bidiLocal, ulong bidiRemote, ulong uni)
    {
        if (id.IsUnidirectional) return uni;
        return id.IsLocal(parameterOwner) ? bidiLocal : bidiRemote;
    }
}
