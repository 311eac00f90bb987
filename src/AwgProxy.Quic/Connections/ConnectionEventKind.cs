namespace AwgProxy.Quic.Connections;

/// <summary>What a <see cref="ConnectionEvent"/> reports.</summary>
public enum ConnectionEventKind : byte
{
    /// <summary>The handshake completed: streams and datagrams can be used (client: after sending its Finished).</summary>
    Connected,

    /// <summary>The handshake is confirmed (RFC 9001 section 4.1.2): server at completion, client on HANDSHAKE_DONE.</summary>
    HandshakeConfirmed,

    /// <summary>The peer opened a stream (<see cref="ConnectionEvent.StreamId"/>, <see cref="ConnectionEvent.Direction"/>).</summary>
    StreamOpened,

    /// <summary>Data or the end of the stream can be read. Raised again only after this one was polled.</summary>
    StreamReadable,

    /// <summary>A write that was refused or shortened can now proceed (send buffer space was freed).</summary>
    StreamWritable,

    /// <summary>The peer reset its sending part (RESET_STREAM, <see cref="ConnectionEvent.ErrorCode"/>).</summary>
    StreamReset,

    /// <summary>
    /// The peer asked us to stop sending (STOP_SENDING, <see cref="ConnectionEvent.ErrorCode"/>); the sending part
    /// was reset with that code unless all data had already been sent.
    /// </summary>
    StreamStopSending,

    /// <summary>
    /// Everything written to the stream and its FIN were acknowledged by the peer: the sending part reached
    /// "Data Recvd" (RFC 9000 section 3.1). Raised once per stream, never for a reset stream.
    /// </summary>
    StreamFinishAcknowledged,

    /// <summary>The peer raised its stream limit after <see cref="Connection.TryOpenStream"/> had refused (<see cref="ConnectionEvent.Direction"/>).</summary>
    StreamsAvailable,

    /// <summary>DATAGRAM frames wait in the receive queue (<see cref="Connection.TryReadDatagram"/>).</summary>
    DatagramReceived,

    /// <summary>The connection ended (<see cref="ConnectionEvent.Error"/> says how); streams are unusable from now on.</summary>
    ConnectionClosed,

    /// <summary>The closing or draining period is over: the driver may forget the connection.</summary>
    Drained,
}
