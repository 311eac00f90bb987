using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Connections;

/// <summary>
/// A stream as the connection schedules it: the stream state from the Streams components plus queue membership
/// flags (so each queue holds a stream at most once and no scan is ever needed) and event coalescing flags.
/// </summary>
internal sealed class StreamEntry
{
    public StreamEntry(QuicStreamState state)
    {
        State = state;
    }

    public QuicStreamState State { get; }

    public StreamId Id => State.Id;

    public SendStream? Send => State.Send;

    public ReceiveStream? Receive => State.Receive;

    /// <summary>The stream was closed and removed from the connection; queues skip it.</summary>
    public bool IsRemoved { get; set; }

    /// <summary>In the round-robin queue of streams with data to send.</summary>
    public bool InSendQueue { get; set; }

    /// <summary>Waiting for connection-level flow control credit (MAX_DATA).</summary>
    public bool InCreditWaitQueue { get; set; }

    /// <summary>In the queue of streams with control frames to send (RESET_STREAM, STOP_SENDING, MAX_STREAM_DATA, STREAM_DATA_BLOCKED).</summary>
    public bool InControlQueue { get; set; }

    /// <summary>A StreamReadable event is queued and not yet polled.</summary>
    public bool ReadableEventQueued { get; set; }

    /// <summary>A StreamWritable event is queued and not yet polled.</summary>
    public bool WritableEventQueued { get; set; }

    /// <summary>A write was refused or shortened: raise StreamWritable when space frees up.</summary>
    public bool WantsWritable { get; set; }

    /// <summary>The application called StreamFinish.</summary>
    public bool LocallyFinished { get; set; }

    /// <summary>The application called StreamReset.</summary>
    public bool LocallyReset { get; set; }

    /// <summary>The application called StreamStopSending.</summary>
    public bool LocallyStopped { get; set; }

    /// <summary>StreamReset was reported.</summary>
    public bool ResetReported { get; set; }

    /// <summary>StreamStopSending was reported.</summary>
    public bool StopSendingReported { get; set; }

    public bool HasControlFrames =>
        (Send is { } send && (send.NeedsResetStream || send.IsStreamDataBlockedPending))
        || (Receive is { } receive && (receive.NeedsStopSending || receive.NeedsMaxStreamData));
}
