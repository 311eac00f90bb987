namespace AwgProxy.Quic.Streams;

/// <summary>
/// The sending part of one stream: its <see cref="SendStreamState"/> (RFC 9000 section 3.1), a
/// <see cref="SendBuffer"/> and the peer's stream-level <see cref="SendCredit"/>. Connection-level credit is
/// passed in by the caller, so one object per connection is shared by all streams. Sans-IO: the caller polls the
/// flags and properties (<see cref="HasDataToSend"/>, <see cref="NeedsResetStream"/>,
/// <see cref="IsStreamDataBlockedPending"/>, <see cref="WritableBytes"/>) after each event.
/// </summary>
public sealed class SendStream : IDisposable
{
    private readonly SendBuffer _buffer;
    private readonly SendCredit _credit;
    private SendStreamState _state;
    private bool _resetPending;
    private ulong _resetErrorCode;
    private ulong _finalSize;
    private bool _stopSendingReceived;
    private ulong _stopSendingErrorCode;

    /// <param name="id">The stream.</param>
    /// <param name="bufferCapacity">Most bytes buffered (unacknowledged plus unsent) before writes are refused.</param>
    /// <param name="peerInitialMaxStreamData">The peer's initial_max_stream_data_* for this stream.</param>
    /// <param name="active">The connection's count of send buffers holding data, or null.</param>
    public SendStream(StreamId id, int bufferCapacity, ulong peerInitialMaxStreamData, ActiveSendBuffers? active = null)
    {
        Id = id;
        _buffer = new SendBuffer(bufferCapacity, active);
        _credit = new SendCredit(peerInitialMaxStreamData);
    }

    public StreamId Id { get; }

    public SendStreamState State => _state;

    /// <summary>Whether the application may write or finish: "Ready" or "Send" and not yet finished.</summary>
    public bool CanWrite => _state.CanWrite() && !_buffer.IsFinWritten;

    /// <summary>How many bytes <see cref="Write"/> would accept now (grows as acknowledgements free memory).</summary>
    public int WritableBytes => CanWrite ? _buffer.AvailableCapacity : 0;

    public int BufferedBytes => _buffer.BufferedBytes;

    /// <summary>The most bytes buffered before writes are refused.</summary>
    public int BufferCapacity => _buffer.Capacity;

    /// <summary>Sets the buffer's capacity (send buffer auto-tuning); bytes already buffered stay.</summary>
    public void SetBufferCapacity(int capacity) => _buffer.SetCapacity(capacity);

    /// <summary>One past the largest offset sent so far.</summary>
    public ulong SentOffset => _buffer.SentOffset;

    /// <summary>Bytes written and not yet sent once.</summary>
    public ulong UnsentBytes => _state is SendStreamState.ResetSent or SendStreamState.ResetRecvd ? 0 : _buffer.UnsentBytes;

    /// <summary>The peer's current MAX_STREAM_DATA for this stream.</summary>
    public ulong MaxStreamData => _credit.Limit;

    /// <summary>Whether the state is "Data Recvd" or "Reset Recvd".</summary>
    public bool IsTerminal => _state.IsTerminal();

    /// <summary>Whether a RESET_STREAM frame should be sent (<see cref="TryTakeResetStream"/>).</summary>
    public bool NeedsResetStream => _resetPending;

    /// <summary>Whether the stream was reset (by the application or in answer to STOP_SENDING).</summary>
    public bool IsReset => _state is SendStreamState.ResetSent or SendStreamState.ResetRecvd;

    /// <summary>The error code of the RESET_STREAM, once <see cref="IsReset"/>.</summary>
    public ulong ResetErrorCode => _resetErrorCode;

    /// <summary>The final size carried by the RESET_STREAM, once <see cref="IsReset"/>.</summary>
    public ulong ResetFinalSize => _finalSize;

    /// <summary>Whether the peer sent STOP_SENDING (tell the application its writes are no longer wanted).</summary>
    public bool IsStopSendingReceived => _stopSendingReceived;

    public ulong StopSendingErrorCode => _stopSendingErrorCode;

    /// <summary>Whether a STREAM_DATA_BLOCKED frame should be sent (<see cref="TryTakeStreamDataBlocked"/>).</summary>
    public bool IsStreamDataBlockedPending => _state.CanWrite() && _credit.IsBlockedSignalPending;

    /// <summary>Appends application data; returns how many bytes were accepted (0 when the buffer is full).</summary>
    /// <exception cref="InvalidOperationException">When <see cref="CanWrite"/> is false.</exception>
    public int Write(ReadOnlySpan<byte> data)
    {
        if (!CanWrite) throw new InvalidOperationException("The stream no longer accepts data.");
        int written = _buffer.Write(data);
        if (written > 0 && _buffer.SentOffset >= _credit.Limit) _credit.OnBlocked();
        return written;
    }

    /// <summary>Ends the stream cleanly: a FIN follows the last written byte.</summary>
    public void Finish()
    {
        if (!CanWrite) throw new InvalidOperationException("The stream no longer accepts data.");
        _buffer.Finish();
    }

    /// <summary>
    /// Abandons sending (the application aborted, or see <see cref="OnStopSending"/>): drops buffered data, stops
    /// all (re)transmission and queues a RESET_STREAM with the final size = largest offset sent. Returns false
    /// when already reset or terminal (nothing to do).
    /// </summary>
    public bool Reset(ulong applicationErrorCode)
    {
        if (!_state.TryApply(SendStreamEvent.SendResetStream, out SendStreamState next) || IsReset) return false;
        _state = next;
        _finalSize = _buffer.Reset();
        _resetErrorCode = applicationErrorCode;
        _resetPending = true;
        return true;
    }

    /// <summary>
    /// A STOP_SENDING frame arrived (RFC 9000 section 3.5). In "Ready", "Send" or "Data Sent" the stream is reset
    /// with the peer's error code (true returned); otherwise it is only recorded.
    /// </summary>
    public bool OnStopSending(ulong applicationErrorCode)
    {
        if (!_stopSendingReceived)
        {
            _stopSendingReceived = true;
            _stopSendingErrorCode = applicationErrorCode;
        }

        return _state.MustResetOnStopSending() && Reset(applicationErrorCode);
    }

    /// <summary>A MAX_STREAM_DATA frame arrived; returns whether the limit grew (smaller values are ignored).</summary>
    public bool OnMaxStreamData(ulong maxStreamData) => _credit.OnLimitReceived(maxStreamData);

    /// <summary>The highest stream offset we may send up to, given both flow-control levels.</summary>
    public ulong MaxOffsetAllowed(SendCredit connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ulong connectionLimit = _buffer.SentOffset + connection.Available;
        return Math.Min(_credit.Limit, connectionLimit);
    }

    /// <summary>Whether <see cref="TryPeekNext"/> would give a chunk: lost data, new data within credit, or a FIN.</summary>
    public bool HasDataToSend(SendCredit connection) => !IsReset && !IsTerminal && _buffer.HasDataToSend(MaxOffsetAllowed(connection));

    /// <summary>
    /// The next STREAM frame chunk, without changing anything; see <see cref="SendBuffer.TryPeekNext"/>. The caller
    /// writes the STREAM frame header for (offset, length, fin), copies the data with <see cref="CopyTo"/>, then
    /// calls <see cref="MarkSent"/>.
    /// </summary>
    public bool TryPeekNext(SendCredit connection, int maxLength, out ulong offset, out int length, out bool fin)
    {
        if (IsReset || IsTerminal)
        {
            offset = 0;
            length = 0;
            fin = false;
            return false;
        }

        return _buffer.TryPeekNext(MaxOffsetAllowed(connection), maxLength, out offset, out length, out fin);
    }

    public void CopyTo(ulong offset, Span<byte> destination) => _buffer.CopyTo(offset, destination);

    /// <summary>
    /// Records a STREAM frame carrying [offset, offset + length) and <paramref name="fin"/> as sent: charges new bytes
    /// to the stream credit and to <paramref name="connection"/>, moves to "Send" / "Data Sent", and arms the blocked
    /// signals when unsent data remains with no credit left.
    /// </summary>
    public void MarkSent(ulong offset, int length, bool fin, SendCredit connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (IsReset || IsTerminal) throw new InvalidOperationException("No STREAM frames may be sent in state " + _state + ".");
        ulong end = offset + (ulong)length;
        ulong newBytes = end > _buffer.SentOffset ? end - _buffer.SentOffset : 0;
        if (newBytes > _credit.Available || newBytes > connection.Available)
        {
            throw new InvalidOperationException("Sending past the peer's flow-control limit.");
        }

        _buffer.MarkSent(offset, length, fin);
        _credit.Consume(newBytes);
        connection.Consume(newBytes);
        _state.TryApply(fin ? SendStreamEvent.SendStreamFin : SendStreamEvent.SendStream, out _state);
        CheckBlocked(connection);
    }

    /// <summary>
    /// Arms the blocked signals when unsent data is held back by flow control: this stream's STREAM_DATA_BLOCKED
    /// when its own limit binds, <paramref name="connection"/>'s DATA_BLOCKED when the connection limit binds.
    /// <see cref="Write"/> (stream level) and <see cref="MarkSent"/> (both) call it; the connection calls it for a
    /// stream with <see cref="UnsentBytes"/> that it could not serve because connection credit ran out elsewhere.
    /// </summary>
    public void CheckBlocked(SendCredit connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (UnsentBytes == 0 || !_state.CanWrite()) return;
        if (_credit.Available == 0) _credit.OnBlocked();
        if (connection.Available == 0) connection.OnBlocked();
    }

    /// <summary>A packet carrying this stream's [offset, offset + length) (+ FIN) was acknowledged.</summary>
    public void OnAcked(ulong offset, int length, bool fin)
    {
        if (IsReset || IsTerminal) return;
        _buffer.OnAcked(offset, length, fin);
        if (_buffer.IsAllAcked) _state.TryApply(SendStreamEvent.RecvAllAcks, out _state);
    }

    /// <summary>A packet carrying this stream's [offset, offset + length) (+ FIN) was declared lost.</summary>
    public void OnLost(ulong offset, int length, bool fin)
    {
        if (IsReset || IsTerminal) return;
        _buffer.OnLost(offset, length, fin);
    }

    /// <summary>Takes the pending RESET_STREAM: the frame's Application Protocol Error Code and Final Size.</summary>
    public bool TryTakeResetStream(out ulong applicationErrorCode, out ulong finalSize)
    {
        applicationErrorCode = _resetErrorCode;
        finalSize = _finalSize;
        if (!_resetPending) return false;
        _resetPending = false;
        return true;
    }

    /// <summary>The packet carrying RESET_STREAM was acknowledged: "Reset Recvd".</summary>
    public void OnResetStreamAcked()
    {
        _resetPending = false;
        _state.TryApply(SendStreamEvent.RecvResetAck, out _state);
    }

    /// <summary>The packet carrying RESET_STREAM was lost: queue it again.</summary>
    public void OnResetStreamLost()
    {
        if (_state == SendStreamState.ResetSent) _resetPending = true;
    }

    /// <summary>
    /// Takes the pending STREAM_DATA_BLOCKED signal; <paramref name="limit"/> is the frame's Maximum Stream Data.
    /// Sending it moves "Ready" to "Send".
    /// </summary>
    public bool TryTakeStreamDataBlocked(out ulong limit)
    {
        if (!_state.CanWrite())
        {
            limit = _credit.Limit;
            return false;
        }

        if (!_credit.TryTakeBlockedSignal(out limit)) return false;
        _state.TryApply(SendStreamEvent.SendStreamDataBlocked, out _state);
        return true;
    }

    /// <summary>A STREAM_DATA_BLOCKED frame carrying <paramref name="limit"/> was lost.</summary>
    public void OnStreamDataBlockedLost(ulong limit) => _credit.OnBlockedSignalLost(limit);

    public void Dispose() => _buffer.Dispose();
}
