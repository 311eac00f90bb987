using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Connections;

/// <summary>
/// The streams facet (RFC 9000 sections 2-4): the application's non-blocking stream calls and the peer's stream
/// frames. Streams live in a dictionary by ID; scheduling uses queues with membership flags, never scans.
/// </summary>
public sealed partial class Connection
{
    private readonly StreamLimits _streamLimits;
    private readonly Dictionary<ulong, StreamEntry> _streams = [];
    private readonly ActiveSendBuffers _activeSendBuffers = new();
    private readonly Queue<StreamEntry> _sendQueue = new();
    private readonly Queue<StreamEntry> _controlQueue = new();
    private readonly List<StreamEntry> _creditWait = [];
    private readonly ReceiveWindow _receiveWindow;
    private readonly SendCredit _sendCredit = new(0);
    private readonly bool[] _openRefused = new bool[2];
    private Instant _lastNow;

    /// <summary>
    /// Opens a stream. Returns false when the peer's stream limit (MAX_STREAMS) is reached, a STREAMS_BLOCKED frame
    /// then tells the peer and <see cref="ConnectionEventKind.StreamsAvailable"/> follows when it raises the limit;
    /// also false before the handshake provided the peer's limits, and once the connection is closing.
    /// </summary>
    public bool TryOpenStream(StreamDirection direction, out ulong streamId)
    {
        ThrowIfDisposed();
        streamId = 0;
        if (IsClosingOrDraining || _peerParameters is null || ApplicationSpace.SendKeys is null) return false;
        if (!_streamLimits.Outgoing(direction).TryOpen(out StreamId id))
        {
            _openRefused[(int)direction] = true;
            return false;
        }

        CreateStream(id);
        _localStreamsOpened++;
        streamId = id.Value;
        return true;
    }

    /// <summary>
    /// Buffers data for sending and returns how many bytes were accepted (fewer than offered when the stream's send
    /// buffer is full: <see cref="ConnectionEventKind.StreamWritable"/> follows when space frees up). Returns 0 when
    /// the sending part was reset because the peer sent STOP_SENDING, or the stream or connection is closed.
    /// </summary>
    /// <exception cref="ArgumentException">The stream was never opened or has no sending part here.</exception>
    /// <exception cref="InvalidOperationException">The application already finished or reset the stream.</exception>
    public int StreamWrite(ulong streamId, ReadOnlySpan<byte> data)
    {
        ThrowIfDisposed();
        StreamEntry? entry = LookupStream(streamId, sending: true);
        if (entry is null || IsClosingOrDraining) return 0;
        if (entry.LocallyFinished) throw new InvalidOperationException($"Stream {streamId} was finished; nothing more can be written.");
        if (entry.LocallyReset) throw new InvalidOperationException($"Stream {streamId} was reset; nothing more can be written.");
        SendStream send = entry.Send!;
        if (!send.CanWrite) return 0;
        AutoTuneSendBuffer(send);
        int written = send.Write(data);
        if (written < data.Length) entry.WantsWritable = true;
        if (written > 0) ScheduleSend(entry);
        return written;
    }

    /// <summary>Ends the sending part after the data written so far (a STREAM frame with FIN).</summary>
    /// <exception cref="ArgumentException">The stream was never opened or has no sending part here.</exception>
    /// <exception cref="InvalidOperationException">The application reset the stream.</exception>
    public void StreamFinish(ulong streamId)
    {
        ThrowIfDisposed();
        StreamEntry? entry = LookupStream(streamId, sending: true);
        if (entry is null || IsClosingOrDraining || entry.LocallyFinished) return;
        if (entry.LocallyReset) throw new InvalidOperationException($"Stream {streamId} was reset.");
        entry.LocallyFinished = true;
        if (!entry.Send!.CanWrite) return;
        entry.Send.Finish();
        ScheduleSend(entry);
    }

    /// <summary>
    /// Reads received data in order. <paramref name="finished"/> becomes true once the peer's FIN was reached and
    /// everything before it read (also for a stream already closed and forgotten). When the peer reset the stream
    /// (<see cref="ConnectionEventKind.StreamReset"/>), returns 0 with <paramref name="finished"/> false and
    /// acknowledges the reset.
    /// </summary>
    /// <exception cref="ArgumentException">The stream was never opened or has no receiving part here.</exception>
    public int StreamRead(ulong streamId, Span<byte> destination, out bool finished)
    {
        ThrowIfDisposed();
        finished = false;
        StreamEntry? entry = LookupStream(streamId, sending: false);
        if (entry is null)
        {
            finished = true;
            return 0;
        }

        if (IsClosingOrDraining) return 0;
        ReceiveStream receive = entry.Receive!;
        if (receive.IsResetReceived)
        {
            receive.AcknowledgeReset();
            CheckStreamClosed(entry);
            return 0;
        }

        int read = receive.Read(destination, _receiveWindow);
        finished = receive.IsFinished;
        if (receive.NeedsMaxStreamData) ScheduleControl(entry);
        if (finished) CheckStreamClosed(entry);
        return read;
    }

    /// <summary>Abandons the sending part with an application error code (RESET_STREAM, RFC 9000 section 3.1).</summary>
    /// <exception cref="ArgumentException">The stream was never opened or has no sending part here.</exception>
    public void StreamReset(ulong streamId, ulong errorCode)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfGreaterThan(errorCode, Coding.VarInt.MaxValue);
        StreamEntry? entry = LookupStream(streamId, sending: true);
        if (entry is null || IsClosingOrDraining || entry.LocallyReset) return;
        entry.LocallyReset = true;
        if (entry.Send!.Reset(errorCode)) ScheduleControl(entry);
    }

    /// <summary>Asks the peer to stop sending (STOP_SENDING) and discards what it sent; further reads return 0.</summary>
    /// <exception cref="ArgumentException">The stream was never opened or has no receiving part here.</exception>
    public void StreamStopSending(ulong streamId, ulong errorCode)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfGreaterThan(errorCode, Coding.VarInt.MaxValue);
        StreamEntry? entry = LookupStream(streamId, sending: false);
        if (entry is null || IsClosingOrDraining || entry.LocallyStopped) return;
        entry.LocallyStopped = true;
        entry.Receive!.AbortRead(errorCode, _receiveWindow);
        if (entry.Receive.NeedsStopSending) ScheduleControl(entry);
        CheckStreamClosed(entry);
    }

    /// <summary>How many bytes <see cref="StreamWrite"/> would accept now.</summary>
    public int GetStreamWritableBytes(ulong streamId)
    {
        StreamEntry? entry = LookupStream(streamId, sending: true);
        if (entry is null || IsClosingOrDraining) return 0;
        AutoTuneSendBuffer(entry.Send!);
        return entry.Send!.WritableBytes;
    }

    /// <summary>How many bytes <see cref="StreamRead"/> would return now.</summary>
    public int GetStreamReadableBytes(ulong streamId)
    {
        StreamEntry? entry = LookupStream(streamId, sending: false);
        return entry is null || IsClosingOrDraining ? 0 : entry.Receive!.ReadableBytes;
    }

    /// <summary>The state of a stream's parts and what the peer did to it.</summary>
    /// <exception cref="ArgumentException">The stream was never opened.</exception>
    public StreamStatus GetStreamStatus(ulong streamId)
    {
        var id = new StreamId(streamId);
        StreamEntry? entry = LookupStream(streamId, sending: id.HasSendPart(Role));
        if (entry is null || _state == ConnectionState.Closed) return new StreamStatus(false, null, null, 0, 0, null, null);
        SendStream? send = entry.Send;
        ReceiveStream? receive = entry.Receive;
        return new StreamStatus(
            true,
            send?.State,
            receive?.State,
            receive?.ReadableBytes ?? 0,
            send?.WritableBytes ?? 0,
            receive is { IsResetReceived: true } ? receive.ResetErrorCode : null,
            send is { IsStopSendingReceived: true } ? send.StopSendingErrorCode : null);
    }

    /// <summary>
    /// The stream for an application call: throws for IDs never opened or without the needed part, returns null for
    /// a stream that was closed and forgotten.
    /// </summary>
    private StreamEntry? LookupStream(ulong streamId, bool sending)
    {
        var id = new StreamId(streamId);
        if (!id.IsValid) throw new ArgumentOutOfRangeException(nameof(streamId), streamId, "Not a stream ID.");
        if (sending ? !id.HasSendPart(Role) : !id.HasReceivePart(Role))
        {
            throw new ArgumentException($"Stream {streamId} has no {(sending ? "sending" : "receiving")} part at this endpoint.", nameof(streamId));
        }

        if (_streams.TryGetValue(streamId, out StreamEntry? entry)) return entry;
        bool opened = id.IsLocal(Role) ? _streamLimits.Outgoing(id.Direction).IsOpened(id) : _streamLimits.Incoming(id.Direction).IsOpened(id);
        if (!opened) throw new ArgumentException($"Stream {streamId} is not open.", nameof(streamId));
        return null;
    }

    private StreamEntry CreateStream(StreamId id)
    {
        TransportParameters? peer = _peerParameters;
        StreamInitiator peerRole = _isServer ? StreamInitiator.Client : StreamInitiator.Server;
        ulong peerLimit = peer is null ? 0 : StreamSettings.SelectInitialMaxStreamData(
            id, peerRole, peer.InitialMaxStreamDataBidiLocal, peer.InitialMaxStreamDataBidiRemote, peer.InitialMaxStreamDataUni);
        ulong localWindow = StreamSettings.SelectInitialMaxStreamData(
            id, Role, _options.InitialMaxStreamDataBidiLocal, _options.InitialMaxStreamDataBidiRemote, _options.InitialMaxStreamDataUni);
        var settings = new StreamSettings(_options.StreamSendBufferSize, peerLimit, localWindow, Math.Max(localWindow, _options.MaxStreamReceiveWindow), _activeSendBuffers);
        var entry = new StreamEntry(QuicStreamState.Create(id, Role, in settings));
        entry.Receive?.StartFlowControlEpoch(_lastNow);
        _streams.Add(id.Value, entry);
        return entry;
    }

    /// <summary>The stream a peer frame refers to, opening peer streams up to it (RFC 9000 section 3.2); null when it was closed.</summary>
    private StreamEntry? GetOrOpenStream(StreamId id)
    {
        if (_streams.TryGetValue(id.Value, out StreamEntry? entry)) return entry;
        if (id.IsLocal(Role)) return null;
        IncomingStreamLimit incoming = _streamLimits.Incoming(id.Direction);
        if (incoming.IsOpened(id)) return null;
        incoming.Open(id, out StreamId first, out ulong count);
        for (ulong i = 0; i < count; i++)
        {
            StreamId opened = StreamId.FromIndex(id.Type, first.Index + i);
            entry = CreateStream(opened);
            _peerStreamsOpened++;
            Emit(ConnectionEvent.ForStream(ConnectionEventKind.StreamOpened, opened));
        }

        return entry;
    }

    private StreamEntry? StreamForFrame(Instant now, StreamFrameKind kind, ulong streamId, ulong frameType)
    {
        var id = new StreamId(streamId);
        TransportErrorCode error = id.IsValid ? _streamLimits.CheckReceivedFrame(kind, id) : TransportErrorCode.FRAME_ENCODING_ERROR;
        if (error != TransportErrorCode.NO_ERROR)
        {
            CloseWithTransportError(now, error, frameType, error == TransportErrorCode.STREAM_LIMIT_ERROR ? "Stream limit exceeded" : "Frame for a stream in the wrong state or direction");
            return null;
        }

        return GetOrOpenStream(id);
    }

    private void OnStreamFrame(Instant now, scoped StreamFrame frame, ulong frameType)
    {
        StreamEntry? entry = StreamForFrame(now, StreamFrameKind.Stream, frame.StreamId, frameType);
        if (entry is null) return;
        ReceiveStream receive = entry.Receive!;
        TransportErrorCode error = receive.OnStreamFrame(frame.Offset, frame.Data, frame.Fin, _receiveWindow);
        if (error != TransportErrorCode.NO_ERROR)
        {
            CloseWithTransportError(now, error, frameType, error == TransportErrorCode.FLOW_CONTROL_ERROR ? "Flow control limit exceeded" : "Invalid STREAM frame");
            return;
        }

        if (receive.ReadableBytes > 0 || receive.State == ReceiveStreamState.DataRecvd) EmitReadable(entry);
    }

    private void OnResetStreamFrame(Instant now, ResetStreamFrame frame)
    {
        StreamEntry? entry = StreamForFrame(now, StreamFrameKind.ResetStream, frame.StreamId, (ulong)FrameType.ResetStream);
        if (entry is null) return;
        ReceiveStream receive = entry.Receive!;
        TransportErrorCode error = receive.OnResetStream(frame.ApplicationProtocolErrorCode, frame.FinalSize, _receiveWindow);
        if (error != TransportErrorCode.NO_ERROR)
        {
            CloseWithTransportError(now, error, (ulong)FrameType.ResetStream, "Invalid RESET_STREAM final size");
            return;
        }

        if (receive.IsResetReceived && !entry.ResetReported)
        {
            entry.ResetReported = true;
            Emit(ConnectionEvent.ForStream(ConnectionEventKind.StreamReset, entry.Id, receive.ResetErrorCode));
        }

        CheckStreamClosed(entry);
    }

    private void OnStopSendingFrame(Instant now, StopSendingFrame frame)
    {
        StreamEntry? entry = StreamForFrame(now, StreamFrameKind.StopSending, frame.StreamId, (ulong)FrameType.StopSending);
        if (entry is null) return;
        if (entry.Send!.OnStopSending(frame.ApplicationProtocolErrorCode)) ScheduleControl(entry);
        if (!entry.StopSendingReported)
        {
            entry.StopSendingReported = true;
            Emit(ConnectionEvent.ForStream(ConnectionEventKind.StreamStopSending, entry.Id, frame.ApplicationProtocolErrorCode));
        }
    }

    private void OnMaxStreamDataFrame(Instant now, MaxStreamDataFrame frame)
    {
        StreamEntry? entry = StreamForFrame(now, StreamFrameKind.MaxStreamData, frame.StreamId, (ulong)FrameType.MaxStreamData);
        if (entry is null) return;
        if (entry.Send!.OnMaxStreamData(frame.MaximumStreamData)) ScheduleSend(entry);
    }

    private void OnStreamDataBlockedFrame(Instant now, StreamDataBlockedFrame frame)
    {
        StreamEntry? entry = StreamForFrame(now, StreamFrameKind.StreamDataBlocked, frame.StreamId, (ulong)FrameType.StreamDataBlocked);
        if (entry?.Receive is { NeedsMaxStreamData: true }) ScheduleControl(entry);
    }

    private void OnMaxDataFrame(MaxDataFrame frame)
    {
        if (!_sendCredit.OnLimitReceived(frame.MaximumData)) return;
        foreach (StreamEntry waiting in _creditWait)
        {
            waiting.InCreditWaitQueue = false;
            ScheduleSend(waiting);
        }

        _creditWait.Clear();
    }

    private void OnMaxStreamsFrame(Instant now, MaxStreamsFrame frame, ulong frameType)
    {
        StreamDirection direction = frame.Bidirectional ? StreamDirection.Bidirectional : StreamDirection.Unidirectional;
        OutgoingStreamLimit limit = _streamLimits.Outgoing(direction);
        TransportErrorCode error = limit.OnMaxStreams(frame.MaximumStreams);
        if (error != TransportErrorCode.NO_ERROR)
        {
            CloseWithTransportError(now, error, frameType, "MAX_STREAMS above 2^60");
            return;
        }

        if (_openRefused[(int)direction] && limit.CanOpen)
        {
            _openRefused[(int)direction] = false;
            Emit(ConnectionEvent.StreamsAvailable(direction));
        }
    }

    private void ScheduleSend(StreamEntry entry)
    {
        if (entry.InSendQueue || entry.IsRemoved) return;
        entry.InSendQueue = true;
        _sendQueue.Enqueue(entry);
    }

    private void ScheduleControl(StreamEntry entry)
    {
        if (entry.InControlQueue || entry.IsRemoved) return;
        entry.InControlQueue = true;
        _controlQueue.Enqueue(entry);
    }

    private void EmitReadable(StreamEntry entry)
    {
        if (entry.ReadableEventQueued) return;
        entry.ReadableEventQueued = true;
        Emit(ConnectionEvent.ForStream(ConnectionEventKind.StreamReadable, entry.Id));
    }

    private void EmitWritableIfWanted(StreamEntry entry)
    {
        if (entry.Send is { } send) AutoTuneSendBuffer(send);
        if (!entry.WantsWritable || entry.WritableEventQueued || entry.Send is not { CanWrite: true, WritableBytes: > 0 }) return;
        entry.WantsWritable = false;
        entry.WritableEventQueued = true;
        Emit(ConnectionEvent.ForStream(ConnectionEventKind.StreamWritable, entry.Id));
    }

    /// <summary>
    /// Send buffer auto-tuning: the streams of the connection may hold twice the congestion window of unacknowledged
    /// and unsent data between them (so the window can be filled while the previous one awaits acknowledgment),
    /// shared equally by the streams that are sending (whose buffers hold data, this one included); each stream's
    /// share lies between <see cref="ConnectionOptions.StreamSendBufferSize"/> and
    /// <see cref="ConnectionOptions.MaxStreamSendBufferSize"/>. A lone bulk stream thus grows to fill a long fat path,
    /// idle streams beside it take nothing from it, and a hundred busy streams on a fast path hold about what one
    /// would, not a hundred times that.
    /// </summary>
    private void AutoTuneSendBuffer(SendStream send)
    {
        int sending = _activeSendBuffers.Count + (send.BufferedBytes == 0 ? 1 : 0);
        long share = 2 * _loss.CongestionWindow / Math.Max(1, sending);
        long wanted = Math.Clamp(share, _options.StreamSendBufferSize, _options.MaxStreamSendBufferSize);

        // A lone sender only grows (a window that dips after a loss does not shrink its buffer, so its ring keeps
        // its size); a stream shrinks only to make room for others.
        if (wanted > send.BufferCapacity || (sending > 1 && wanted < send.BufferCapacity)) send.SetBufferCapacity((int)wanted);
    }

    /// <summary>Forgets a stream whose parts both reached a terminal state (RFC 9000 section 3.3), crediting the peer a new stream.</summary>
    private void CheckStreamClosed(StreamEntry entry)
    {
        if (entry.IsRemoved || !entry.State.IsClosed) return;
        entry.IsRemoved = true;
        _streams.Remove(entry.Id.Value);
        entry.State.Dispose();
        if (!entry.Id.IsLocal(Role)) _streamLimits.Incoming(entry.Id.Direction).OnStreamClosed();
    }
}
