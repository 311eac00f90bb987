namespace AwgProxy.Quic.Streams;

/// <summary>
/// One stream as the connection's stream map holds it: its ID and the halves this endpoint has — both for a
/// bidirectional stream, only <see cref="Send"/> for our unidirectional streams, only <see cref="Receive"/> for the
/// peer's. Plain and sans-IO: no events, only the halves' polled flags.
/// </summary>
public sealed class QuicStreamState : IDisposable
{
    private QuicStreamState(StreamId id, SendStream? send, ReceiveStream? receive)
    {
        Id = id;
        Send = send;
        Receive = receive;
    }

    public StreamId Id { get; }

    /// <summary>The sending part, or null on a receive-only stream.</summary>
    public SendStream? Send { get; }

    /// <summary>The receiving part, or null on a send-only stream.</summary>
    public ReceiveStream? Receive { get; }

    /// <summary>
    /// Whether every part this endpoint has is terminal, so the stream can leave the map (and, for a peer stream,
    /// be reported to <see cref="IncomingStreamLimit.OnStreamClosed"/>).
    /// </summary>
    public bool IsClosed => (Send is null || Send.IsTerminal) && (Receive is null || Receive.IsTerminal);

    /// <summary>Creates the stream with the parts <paramref name="localRole"/> has on it.</summary>
    public static QuicStreamState Create(StreamId id, StreamInitiator localRole, in StreamSettings settings)
    {
        SendStream? send = id.HasSendPart(localRole)
            ? new SendStream(id, settings.SendBufferCapacity, settings.PeerInitialMaxStreamData, settings.ActiveSendBuffers)
            : null;
        ReceiveStream? receive = id.HasReceivePart(localRole)
            ? new ReceiveStream(id, settings.InitialReceiveWindow, settings.MaxReceiveWindow)
            : null;
        return new QuicStreamState(id, send, receive);
    }

    /// <summary>Returns pooled buffers; call when the stream leaves the map or the connection closes.</summary>
    public void Dispose()
    {
        Send?.Dispose();
        Receive?.Dispose();
    }
}
