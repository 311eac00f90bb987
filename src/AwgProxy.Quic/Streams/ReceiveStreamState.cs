namespace AwgProxy.Quic.Streams;

/// <summary>RFC 9000 section 3.2: the states of the receiving part of a stream.</summary>
/// <remarks>
/// <code>
///        o
///        | Recv STREAM / STREAM_DATA_BLOCKED / RESET_STREAM
///        | Create Bidirectional Stream (Sending)
///        | Recv MAX_STREAM_DATA / STOP_SENDING (Bidirectional)
///        | Create Higher-Numbered Stream
///        v
///    +-------+
///    | Recv  | Recv RESET_STREAM
///    |       |-----------------------.
///    +-------+                       |
///        |                           |
///        | Recv STREAM + FIN         |
///        v                           |
///    +-------+                       |
///    | Size  | Recv RESET_STREAM     |
///    | Known |----------------------&gt;|
///    +-------+                       |
///        |                           |
///        | Recv All Data             |
///        v                           v
///    +-------+ Recv RESET_STREAM +-------+
///    | Data  |--- (optional) ---&gt;| Reset |
///    | Recvd |  Recv All Data    | Recvd |
///    +-------+&lt;-- (optional) ----+-------+
///        |                           |
///        | App Read All Data         | App Read Reset
///        v                           v
///    +-------+                   +-------+
///    | Data  |                   | Reset |
///    | Read  |                   | Read  |
///    +-------+                   +-------+
/// </code>
/// This implementation takes neither optional arrow: a RESET_STREAM arriving once all data is received is
/// suppressed (the data is delivered), and data completing after a reset is not delivered.
/// </remarks>
public enum ReceiveStreamState : byte
{
    Recv,
    SizeKnown,
    DataRecvd,
    ResetRecvd,
    DataRead,
    ResetRead,
}

/// <summary>The events that move a <see cref="ReceiveStreamState"/> (the arrows of the RFC 9000 section 3.2 diagram).</summary>
public enum ReceiveStreamEvent : byte
{
    /// <summary>A STREAM (or STREAM_DATA_BLOCKED) frame without FIN arrived.</summary>
    RecvStream,

    /// <summary>A STREAM frame with FIN arrived: the final size is known.</summary>
    RecvStreamFin,

    /// <summary>Every byte up to the final size has arrived.</summary>
    RecvAllData,

    /// <summary>A RESET_STREAM frame arrived.</summary>
    RecvResetStream,

    /// <summary>The application read every byte up to the final size.</summary>
    AppReadAllData,

    /// <summary>The application was told of the reset.</summary>
    AppReadReset,
}

public static class ReceiveStreamStateMachine
{
    /// <summary>
    /// The state after <paramref name="event"/> in <paramref name="state"/>, or false when it cannot happen there.
    /// Peer frames (RecvStream, RecvStreamFin, RecvResetStream) are legal in every state, because delayed packets
    /// can deliver them at any time; late ones leave the state unchanged. RecvAllData needs a known size and the
    /// App* events need the matching "Recvd" state; false for those means a local programming error.
    /// </summary>
    public static bool TryApply(this ReceiveStreamState state, ReceiveStreamEvent @event, out ReceiveStreamState next)
    {
        ReceiveStreamState? result = (state, @event) switch
        {
            (ReceiveStreamState.Recv, ReceiveStreamEvent.RecvStream) => ReceiveStreamState.Recv,
            (ReceiveStreamState.Recv or ReceiveStreamState.SizeKnown, ReceiveStreamEvent.RecvStreamFin) => ReceiveStreamState.SizeKnown,
            (ReceiveStreamState.Recv or ReceiveStreamState.SizeKnown, ReceiveStreamEvent.RecvResetStream) => ReceiveStreamState.ResetRecvd,
            (ReceiveStreamState.SizeKnown, ReceiveStreamEvent.RecvStream) => ReceiveStreamState.SizeKnown,
            (ReceiveStreamState.SizeKnown, ReceiveStreamEvent.RecvAllData) => ReceiveStreamState.DataRecvd,
            (ReceiveStreamState.DataRecvd, ReceiveStreamEvent.AppReadAllData) => ReceiveStreamState.DataRead,
            (ReceiveStreamState.ResetRecvd, ReceiveStreamEvent.AppReadReset) => ReceiveStreamState.ResetRead,

            // Late or duplicate peer frames after the size is settled change nothing.
            (not (ReceiveStreamState.Recv or ReceiveStreamState.SizeKnown),
                ReceiveStreamEvent.RecvStream or ReceiveStreamEvent.RecvStreamFin or ReceiveStreamEvent.RecvResetStream) => state,
            _ => null,
        };

        next = result ?? state;
        return result.HasValue;
    }

    /// <summary>Whether the receiving part is finished: "Data Read" or "Reset Read".</summary>
    public static bool IsTerminal(this ReceiveStreamState state) =>
        state is ReceiveStreamState.DataRead or ReceiveStreamState.ResetRead;

    /// <summary>Whether MAX_STREAM_DATA is still useful: only in "Recv" (RFC 9000 section 3.5).</summary>
    public static bool NeedsFlowControlUpdates(this ReceiveStreamState state) => state == ReceiveStreamState.Recv;

    /// <summary>Whether STOP_SENDING is still useful: "Recv" or "Size Known" (RFC 9000 section 3.5).</summary>
    public static bool CanSendStopSending(this ReceiveStreamState state) =>
        state is ReceiveStreamState.Recv or ReceiveStreamState.SizeKnown;
}
