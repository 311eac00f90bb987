namespace AwgProxy.Quic.Streams;

/// <summary>RFC 9000 section 3.1: the states of the sending part of a stream.</summary>
/// <remarks>
/// <code>
///        o
///        | Create Stream (Sending)
///        | Peer Creates Bidirectional Stream
///        v
///    +-------+
///    | Ready | Send RESET_STREAM
///    |       |-----------------------.
///    +-------+                       |
///        |                           |
///        | Send STREAM /             |
///        |      STREAM_DATA_BLOCKED  |
///        v                           |
///    +-------+                       |
///    | Send  | Send RESET_STREAM     |
///    |       |----------------------&gt;|
///    +-------+                       |
///        |                           |
///        | Send STREAM + FIN         |
///        v                           v
///    +-------+                   +-------+
///    | Data  | Send RESET_STREAM | Reset |
///    | Sent  |------------------&gt;| Sent  |
///    +-------+                   +-------+
///        |                           |
///        | Recv All ACKs             | Recv ACK
///        v                           v
///    +-------+                   +-------+
///    | Data  |                   | Reset |
///    | Recvd |                   | Recvd |
///    +-------+                   +-------+
/// </code>
/// </remarks>
public enum SendStreamState : byte
{
    Ready,
    Send,
    DataSent,
    ResetSent,
    DataRecvd,
    ResetRecvd,
}

/// <summary>The events that move a <see cref="SendStreamState"/> (the arrows of the RFC 9000 section 3.1 diagram).</summary>
public enum SendStreamEvent : byte
{
    /// <summary>A STREAM frame without FIN was sent (first transmission or retransmission).</summary>
    SendStream,

    /// <summary>A STREAM frame with FIN was sent.</summary>
    SendStreamFin,

    /// <summary>A STREAM_DATA_BLOCKED frame was sent.</summary>
    SendStreamDataBlocked,

    /// <summary>A RESET_STREAM frame was sent (or queued; also its retransmission).</summary>
    SendResetStream,

    /// <summary>All stream data and the FIN were acknowledged.</summary>
    RecvAllAcks,

    /// <summary>The packet carrying RESET_STREAM was acknowledged.</summary>
    RecvResetAck,
}

public static class SendStreamStateMachine
{
    /// <summary>
    /// The state after <paramref name="event"/> in <paramref name="state"/>, or false when the RFC forbids it:
    /// nothing is sent from a terminal state, no STREAM or STREAM_DATA_BLOCKED after RESET_STREAM, no
    /// STREAM_DATA_BLOCKED once the FIN is sent, and acknowledgements only complete what was sent. Illegal
    /// events are programming errors of the local sender; frames from the peer never drive this machine.
    /// </summary>
    public static bool TryApply(this SendStreamState state, SendStreamEvent @event, out SendStreamState next)
    {
        SendStreamState? result = (state, @event) switch
        {
            (SendStreamState.Ready or SendStreamState.Send, SendStreamEvent.SendStream) => SendStreamState.Send,
            (SendStreamState.Ready or SendStreamState.Send, SendStreamEvent.SendStreamDataBlocked) => SendStreamState.Send,
            (SendStreamState.Ready or SendStreamState.Send or SendStreamState.DataSent, SendStreamEvent.SendStreamFin) => SendStreamState.DataSent,
            (SendStreamState.DataSent, SendStreamEvent.SendStream) => SendStreamState.DataSent,
            (SendStreamState.Ready or SendStreamState.Send or SendStreamState.DataSent or SendStreamState.ResetSent, SendStreamEvent.SendResetStream) => SendStreamState.ResetSent,
            (SendStreamState.DataSent, SendStreamEvent.RecvAllAcks) => SendStreamState.DataRecvd,
            (SendStreamState.ResetSent, SendStreamEvent.RecvResetAck) => SendStreamState.ResetRecvd,
            _ => null,
        };

        next = result ?? state;
        return result.HasValue;
    }

    /// <summary>Whether no more frames can be sent: "Data Recvd" or "Reset Recvd".</summary>
    public static bool IsTerminal(this SendStreamState state) =>
        state is SendStreamState.DataRecvd or SendStreamState.ResetRecvd;

    /// <summary>Whether the application may still write: "Ready" or "Send".</summary>
    public static bool CanWrite(this SendStreamState state) =>
        state is SendStreamState.Ready or SendStreamState.Send;

    /// <summary>Whether a STOP_SENDING from the peer must be answered with RESET_STREAM (RFC 9000 section 3.5).</summary>
    public static bool MustResetOnStopSending(this SendStreamState state) =>
        state is SendStreamState.Ready or SendStreamState.Send or SendStreamState.DataSent;
}
