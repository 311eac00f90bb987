namespace AwgProxy.Quic.Streams;

/// <summary>
/// The receiving part of one stream: its <see cref="ReceiveStreamState"/> (RFC 9000 section 3.2), a
/// <see cref="ReceiveAssembler"/> and our stream-level <see cref="ReceiveWindow"/>. The connection-level window
/// is passed in by the caller and kept consistent here: bytes count against it as the stream's highest offset
/// grows (or jumps to a reset's final size), and are released back to it as the application reads them or as the
/// stream discards them after a reset or an abort (RFC 9000 section 4.4). Sans-IO: the caller polls
/// <see cref="ReadableBytes"/>, <see cref="IsFinished"/>, <see cref="IsResetReceived"/>,
/// <see cref="NeedsMaxStreamData"/> and <see cref="NeedsStopSending"/> after each event.
/// </summary>
public sealed class ReceiveStream : IDisposable
{
    private readonly ReceiveAssembler _assembler;
    private readonly ReceiveWindow _window;
    private ReceiveStreamState _state;
    private ulong _connectionReleased; // stream offset up to which connection-level credit was given back
    private bool _readAborted;
    private bool _stopSendingPending;
    private ulong _stopSendingErrorCode;
    private bool _resetReceived;
    private ulong _resetErrorCode;

    /// <param name="id">The stream.</param>
    /// <param name="initialWindow">Our initial_max_stream_data_* for this stream.</param>
    /// <param name="maxWindow">The largest auto-tuning may grow the window to; also the buffer's hard limit.</param>
    public ReceiveStream(StreamId id, ulong initialWindow, ulong maxWindow)
    {
        Id = id;
        _window = new ReceiveWindow(initialWindow, maxWindow);

        // Flow control is checked before the assembler sees data, so its byte limit only backs it up; its other
        // limit (too many out-of-order ranges) is a resource exhaustion on our side: INTERNAL_ERROR.
        _assembler = new ReceiveAssembler((int)Math.Clamp(maxWindow, 1, int.MaxValue), TransportErrorCode.INTERNAL_ERROR);
    }

    public StreamId Id { get; }

    public ReceiveStreamState State => _state;

    /// <summary>Contiguous bytes the application can read now.</summary>
    public int ReadableBytes => _readAborted || _resetReceived ? 0 : _assembler.ReadableBytes;

    /// <summary>Whether the application has read everything up to the FIN ("Data Read").</summary>
    public bool IsFinished => _state == ReceiveStreamState.DataRead && !_readAborted;

    /// <summary>Whether the peer reset the stream (see <see cref="ResetErrorCode"/>, then <see cref="AcknowledgeReset"/>).</summary>
    public bool IsResetReceived => _resetReceived;

    public ulong ResetErrorCode => _resetErrorCode;

    /// <summary>The final size, once a FIN or RESET_STREAM made it known.</summary>
    public ulong? FinalSize => _assembler.IsFinalSizeKnown ? _assembler.FinalSize : null;

    /// <summary>One past the highest offset received: this stream's share of connection flow control.</summary>
    public ulong HighestOffset => _assembler.HighestOffset;

    /// <summary>The MAX_STREAM_DATA last advertised.</summary>
    public ulong MaxStreamData => _window.Limit;

    public ulong Window => _window.Window;

    /// <summary>Whether the state is "Data Read" or "Reset Read".</summary>
    public bool IsTerminal => _state.IsTerminal();

    /// <summary>Whether a MAX_STREAM_DATA frame should be sent (<see cref="TakeMaxStreamData"/>); only in "Recv".</summary>
    public bool NeedsMaxStreamData => _state.NeedsFlowControlUpdates() && !_readAborted && _window.IsUpdateDue;

    /// <summary>Whether a STOP_SENDING frame should be sent (<see cref="TryTakeStopSending"/>).</summary>
    public bool NeedsStopSending => _stopSendingPending && _state.CanSendStopSending();

    /// <summary>
    /// A STREAM frame arrived. Checks, before changing anything, the 2^62 - 1 bound (FRAME_ENCODING_ERROR), the
    /// final size (FINAL_SIZE_ERROR) and both flow-control limits (FLOW_CONTROL_ERROR); then stores the data and
    /// advances the state. Late frames after the size is settled are checked, then ignored.
    /// </summary>
    public TransportErrorCode OnStreamFrame(ulong offset, ReadOnlySpan<byte> data, bool fin, ReceiveWindow connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        TransportErrorCode error = _assembler.ValidateFinalSize(offset, data.Length, fin);
        if (error != TransportErrorCode.NO_ERROR) return error;

        ulong end = offset + (ulong)data.Length;
        ulong newBytes = end > _assembler.HighestOffset ? end - _assembler.HighestOffset : 0;
        if (!_window.CanReceive(end) || !connection.CanReceiveMore(newBytes)) return TransportErrorCode.FLOW_CONTROL_ERROR;
        if (_state is not (ReceiveStreamState.Recv or ReceiveStreamState.SizeKnown)) return TransportErrorCode.NO_ERROR;

        error = _assembler.Insert(offset, data, fin);
        if (error != TransportErrorCode.NO_ERROR) return error;
        _window.OnReceived(end);
        connection.OnReceivedMore(newBytes);

        _state.TryApply(fin ? ReceiveStreamEvent.RecvStreamFin : ReceiveStreamEvent.RecvStream, out _state);
        if (_assembler.IsAllReceived) _state.TryApply(ReceiveStreamEvent.RecvAllData, out _state);
        if (_readAborted)
        {
            ReleaseConnectionCredit(connection);
            if (_state == ReceiveStreamState.DataRecvd) _state = ReceiveStreamState.DataRead;
        }

        return TransportErrorCode.NO_ERROR;
    }

    /// <summary>
    /// A RESET_STREAM frame arrived (RFC 9000 sections 3.2, 4.4, 4.5). Its final size must match a known one and
    /// not lie below data received (FINAL_SIZE_ERROR) and must fit flow control (FLOW_CONTROL_ERROR). In "Recv" or
    /// "Size Known" the buffered data is dropped, the whole final size is counted and released at connection level,
    /// and the state becomes "Reset Recvd". In "Data Recvd" the reset is suppressed (the data is delivered).
    /// </summary>
    public TransportErrorCode OnResetStream(ulong applicationErrorCode, ulong finalSize, ReceiveWindow connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        TransportErrorCode error = _assembler.ValidateFinalSize(finalSize);
        if (error != TransportErrorCode.NO_ERROR) return error;
        if (_state is not (ReceiveStreamState.Recv or ReceiveStreamState.SizeKnown)) return TransportErrorCode.NO_ERROR;

        ulong newBytes = finalSize - _assembler.HighestOffset;
        if (!_window.CanReceive(finalSize) || !connection.CanReceiveMore(newBytes)) return TransportErrorCode.FLOW_CONTROL_ERROR;

        _assembler.SetFinalSize(finalSize);
        _window.OnReceived(finalSize);
        connection.OnReceivedMore(newBytes);
        _assembler.Discard();
        ReleaseConnectionCredit(connection);

        _state.TryApply(ReceiveStreamEvent.RecvResetStream, out _state);
        _resetReceived = true;
        _resetErrorCode = applicationErrorCode;
        _stopSendingPending = false;
        if (_readAborted) _state = ReceiveStreamState.ResetRead;
        return TransportErrorCode.NO_ERROR;
    }

    /// <summary>
    /// Copies readable bytes into <paramref name="destination"/> and gives the credit back to the stream and
    /// <paramref name="connection"/> windows. Returns 0 when nothing is readable; once everything up to the FIN
    /// has been read the state becomes "Data Read" (<see cref="IsFinished"/>).
    /// </summary>
    public int Read(Span<byte> destination, ReceiveWindow connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (_readAborted || _resetReceived) return 0;
        int count = _assembler.Read(destination);
        AfterConsume(count, connection);
        return count;
    }

    /// <summary>The first contiguous readable run, for reading without a copy; follow with <see cref="Consume"/>.</summary>
    public ReadOnlySpan<byte> GetReadableSpan() => _readAborted || _resetReceived ? default : _assembler.GetReadableSpan();

    /// <summary>Marks <paramref name="count"/> bytes from <see cref="GetReadableSpan"/> as read.</summary>
    public void Consume(int count, ReceiveWindow connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (count == 0 && (_readAborted || _resetReceived)) return;
        _assembler.Consume(count);
        AfterConsume(count, connection);
    }

    /// <summary>The application saw the reset: "Reset Recvd" becomes "Reset Read".</summary>
    public void AcknowledgeReset() => _state.TryApply(ReceiveStreamEvent.AppReadReset, out _state);

    /// <summary>
    /// The application aborts reading (RFC 9000 section 3.5): buffered and future data are discarded (their
    /// flow-control credit released at connection level), and in "Recv" / "Size Known" a STOP_SENDING with
    /// <paramref name="applicationErrorCode"/> is queued. The part becomes terminal once the peer's reset or
    /// remaining data arrives (at once if that already happened).
    /// </summary>
    public void AbortRead(ulong applicationErrorCode, ReceiveWindow connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (_readAborted) return;
        _readAborted = true;
        if (_state.CanSendStopSending())
        {
            _stopSendingPending = true;
            _stopSendingErrorCode = applicationErrorCode;
        }

        _assembler.Discard();
        ReleaseConnectionCredit(connection);
        if (_assembler.IsAllReceived) _state.TryApply(ReceiveStreamEvent.RecvAllData, out _state);
        if (_state == ReceiveStreamState.DataRecvd) _state = ReceiveStreamState.DataRead;
        else if (_state == ReceiveStreamState.ResetRecvd) _state = ReceiveStreamState.ResetRead;
    }

    /// <summary>Takes the pending STOP_SENDING: the frame's Application Protocol Error Code.</summary>
    public bool TryTakeStopSending(out ulong applicationErrorCode)
    {
        applicationErrorCode = _stopSendingErrorCode;
        bool pending = NeedsStopSending;
        _stopSendingPending = false;
        return pending;
    }

    /// <summary>The packet carrying STOP_SENDING was lost: queue it again while it is still useful.</summary>
    public void OnStopSendingLost()
    {
        if (_readAborted && _state.CanSendStopSending()) _stopSendingPending = true;
    }

    /// <summary>
    /// The value for a MAX_STREAM_DATA frame, recorded as advertised (auto-tuning may double the window, see
    /// <see cref="ReceiveWindow"/>; the connection window is then kept at least 1.5 times the stream window).
    /// </summary>
    public ulong TakeMaxStreamData(Instant now, TimeSpan smoothedRtt, ReceiveWindow connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ulong before = _window.Window;
        ulong limit = _window.TakeUpdate(now, smoothedRtt);
        if (_window.Window > before) connection.EnsureWindowAtLeast(_window.Window + (_window.Window / 2));
        return limit;
    }

    /// <summary>A MAX_STREAM_DATA frame carrying <paramref name="limit"/> was lost.</summary>
    public void OnMaxStreamDataLost(ulong limit) => _window.OnUpdateLost(limit);

    /// <summary>Starts the window's first auto-tuning epoch (optional; see <see cref="ReceiveWindow.StartEpoch"/>).</summary>
    public void StartFlowControlEpoch(Instant now) => _window.StartEpoch(now);

    public void Dispose() => _assembler.Dispose();

    private void AfterConsume(int count, ReceiveWindow connection)
    {
        if (count > 0)
        {
            _window.OnConsumed((ulong)count);
            ReleaseConnectionCredit(connection);
        }

        if (_assembler.IsFinished) _state.TryApply(ReceiveStreamEvent.AppReadAllData, out _state);
    }

    private void ReleaseConnectionCredit(ReceiveWindow connection)
    {
        ulong upTo = _assembler.ReadOffset;
        if (upTo <= _connectionReleased) return;
        connection.OnConsumed(upTo - _connectionReleased);
        _connectionReleased = upTo;
    }
}
