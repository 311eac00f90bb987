using System.Buffers;
using System.Numerics;

namespace AwgProxy.Quic.Streams;

/// <summary>
/// The sending half's byte store for one STREAM (or one CRYPTO) stream: bytes the application wrote that are
/// not yet acknowledged by the peer, what still has to be (re)transmitted, and the FIN.
/// </summary>
/// <remarks>
/// <para>
/// Offsets are absolute stream offsets. The stream is split by three cursors:
/// <c>AckedOffset &lt;= SentOffset &lt;= WrittenOffset</c> (everything below <see cref="AckedOffset"/> is
/// acknowledged and forgotten; below <see cref="SentOffset"/> has been sent at least once; below
/// <see cref="WrittenOffset"/> has been written by the application), plus a set of acknowledged ranges above
/// AckedOffset and a set of lost ranges queued for retransmission. Memory holds exactly
/// [AckedOffset, WrittenOffset) in a ring rented from <see cref="ArrayPool{T}.Shared"/>, grown by doubling up to
/// <see cref="Capacity"/> and returned to the pool whenever it becomes empty.
/// </para>
/// <para>
/// Building a STREAM/CRYPTO frame allocates nothing and copies once, straight into the packet buffer:
/// <list type="number">
/// <item><see cref="TryPeekNext"/> with the flow-control offset limit and the room left in the packet gives the
/// next chunk (lost ranges first, then new data); it changes nothing, so the builder may peek again with a
/// smaller length once it knows the exact frame header size;</item>
/// <item>the builder writes the frame header, then <see cref="CopyTo"/> copies the chunk's bytes;</item>
/// <item><see cref="MarkSent"/> records the chunk as in flight and returns how many bytes were new (beyond the
/// previous <see cref="SentOffset"/>), the amount to charge to connection flow control.</item>
/// </list>
/// The builder remembers (offset, length, fin) in its sent-packet record and later reports it to
/// <see cref="OnAcked"/> or <see cref="OnLost"/>.
/// </para>
/// <para>For a CRYPTO stream pass <see cref="ulong.MaxValue"/> as the offset limit and never call <see cref="Finish"/>.</para>
/// <para>Not thread-safe; owned by one connection.</para>
/// </remarks>
public sealed class SendBuffer : IDisposable
{
    private const int MinimumArrayLength = 4096;

    private int _capacity;
    private readonly ActiveSendBuffers? _active;
    private readonly RangeSet _acked = new();
    private readonly RangeSet _lost = new();
    private byte[]? _ring;
    private int _head; // ring index of the byte at _ackedOffset
    private ulong _ackedOffset;
    private ulong _sentOffset;
    private ulong _writtenOffset;
    private bool _finWritten;
    private bool _finSent;
    private bool _finPending;
    private bool _finAcked;
    private bool _isReset;

    /// <param name="capacity">
    /// The most bytes held at once (unacknowledged plus unsent). <see cref="Write"/> accepts no more, which is how
    /// back-pressure reaches the application.
    /// </param>
    /// <param name="active">Told when this buffer starts and stops holding data; null when nobody counts (CRYPTO streams).</param>
    public SendBuffer(int capacity, ActiveSendBuffers? active = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
        _active = active;
    }

    public int Capacity => _capacity;

    /// <summary>
    /// Sets <see cref="Capacity"/>; memory is still taken only as written. A capacity below what is buffered keeps the
    /// buffered bytes and accepts no more until acknowledgements bring it under.
    /// </summary>
    public void SetCapacity(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
    }

    /// <summary>Bytes held: written but not yet acknowledged as part of the contiguous acknowledged prefix.</summary>
    public int BufferedBytes => (int)(_writtenOffset - _ackedOffset);

    /// <summary>How many more bytes <see cref="Write"/> would accept now (0 after FIN or reset).</summary>
    public int AvailableCapacity => _finWritten || _isReset ? 0 : Math.Max(0, _capacity - BufferedBytes);

    /// <summary>Every byte below this offset is acknowledged; the buffer starts here.</summary>
    public ulong AckedOffset => _ackedOffset;

    /// <summary>One past the largest offset ever sent: the final size reported by a reset.</summary>
    public ulong SentOffset => _sentOffset;

    /// <summary>One past the last byte written; the final size once <see cref="IsFinWritten"/>.</summary>
    public ulong WrittenOffset => _writtenOffset;

    /// <summary>Bytes written but never sent yet.</summary>
    public ulong UnsentBytes => _writtenOffset - _sentOffset;

    public bool IsFinWritten => _finWritten;

    public bool IsFinSent => _finSent;

    public bool IsFinAcked => _finAcked;

    public bool IsReset => _isReset;

    /// <summary>Whether lost ranges wait for retransmission (they need no flow-control credit).</summary>
    public bool HasRetransmission => !_isReset && !_lost.IsEmpty;

    /// <summary>RFC 9000 "Data Recvd": the FIN and every byte up to it are acknowledged.</summary>
    public bool IsAllAcked => _finAcked && _ackedOffset == _writtenOffset;

    /// <summary>Whether <see cref="TryPeekNext"/> would return a chunk given this flow-control offset limit.</summary>
    public bool HasDataToSend(ulong maxOffsetAllowed)
    {
        if (_isReset) return false;
        if (!_lost.IsEmpty) return true;
        if (_sentOffset < _writtenOffset) return _sentOffset < maxOffsetAllowed;
        return _finPending;
    }

    /// <summary>Whether unsent bytes wait but <paramref name="maxOffsetAllowed"/> forbids sending any of them.</summary>
    public bool IsBlockedAt(ulong maxOffsetAllowed) =>
        !_isReset && _sentOffset < _writtenOffset && _sentOffset >= maxOffsetAllowed;

    /// <summary>
    /// Appends as much of <paramref name="data"/> as the capacity allows and returns how many bytes were taken
    /// (0 when full: wait for acknowledgements to free space).
    /// </summary>
    /// <exception cref="InvalidOperationException">After <see cref="Finish"/> or <see cref="Reset"/>.</exception>
    public int Write(ReadOnlySpan<byte> data)
    {
        if (_finWritten || _isReset) throw new InvalidOperationException("The stream was finished or reset; no more data can be written.");
        int buffered = BufferedBytes;
        int count = Math.Min(data.Length, _capacity - buffered);
        if (count <= 0) return 0;
        if ((_writtenOffset + (ulong)count) > StreamId.MaxValue) throw new InvalidOperationException("The stream would exceed 2^62 - 1 bytes.");

        EnsureRing(buffered + count);
        CopyIntoRing(buffered, data[..count]);
        _writtenOffset += (ulong)count;
        return count;
    }

    /// <summary>Marks the end of the stream: the FIN is sent with (or after) the last byte.</summary>
    public void Finish()
    {
        if (_isReset) throw new InvalidOperationException("The stream was reset.");
        if (_finWritten) return;
        _finWritten = true;
        _finPending = true;
    }

    /// <summary>
    /// The next chunk to send, without changing anything: the first lost range if there is one, else new data
    /// from <see cref="SentOffset"/> up to <paramref name="maxOffsetAllowed"/> (the flow-control limit on the
    /// stream offset; retransmissions ignore it since their credit was consumed when first sent). At most
    /// <paramref name="maxLength"/> bytes. <paramref name="fin"/> is set when the chunk ends at the final size and
    /// the FIN still needs to be sent; a chunk may be FIN-only (length 0).
    /// </summary>
    public bool TryPeekNext(ulong maxOffsetAllowed, int maxLength, out ulong offset, out int length, out bool fin)
    {
        offset = 0;
        length = 0;
        fin = false;
        if (_isReset || maxLength < 0) return false;

        if (!_lost.IsEmpty && maxLength > 0)
        {
            ByteRange r = _lost.First;
            offset = r.Start;
            length = (int)Math.Min(r.Length, (ulong)maxLength);
            fin = _finPending && offset + (ulong)length == _writtenOffset;
            return true;
        }

        ulong start = _sentOffset;
        ulong end = Math.Min(Math.Min(_writtenOffset, maxOffsetAllowed), start + (ulong)maxLength);
        if (end > start)
        {
            offset = start;
            length = (int)(end - start);
            fin = _finPending && end == _writtenOffset;
            return true;
        }

        if (_finPending && start == _writtenOffset)
        {
            offset = start;
            fin = true;
            return true;
        }

        return false;
    }

    /// <summary>Copies the held bytes [offset, offset + destination.Length) into <paramref name="destination"/>.</summary>
    public void CopyTo(ulong offset, Span<byte> destination)
    {
        if (offset < _ackedOffset || offset + (ulong)destination.Length > _writtenOffset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), "The range is not held by the buffer.");
        }

        if (destination.IsEmpty) return;
        CopyFromRing((int)(offset - _ackedOffset), destination);
    }

    /// <summary>
    /// Records that [offset, offset + length) (and the FIN if <paramref name="fin"/>) went out in a packet, as
    /// returned by <see cref="TryPeekNext"/>. Returns the number of bytes sent for the first time, which the caller
    /// charges to connection-level flow control.
    /// </summary>
    public ulong MarkSent(ulong offset, int length, bool fin)
    {
        if (_isReset) throw new InvalidOperationException("The stream was reset.");
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ulong end = offset + (ulong)length;
        if (offset > _sentOffset || end > _writtenOffset || (length > 0 && offset < _ackedOffset))
        {
            throw new ArgumentOutOfRangeException(nameof(offset), "The range was not offered by TryPeekNext.");
        }

        if (fin && (!_finWritten || end != _writtenOffset))
        {
            throw new ArgumentException("FIN can only be sent with the end of the written data.", nameof(fin));
        }

        _lost.Remove(offset, end);
        ulong newBytes = 0;
        if (end > _sentOffset)
        {
            newBytes = end - _sentOffset;
            _sentOffset = end;
        }

        if (fin)
        {
            _finSent = true;
            _finPending = false;
        }

        return newBytes;
    }

    /// <summary>
    /// The packet carrying [offset, offset + length) (and the FIN if <paramref name="fin"/>) was acknowledged.
    /// Frees memory as the contiguous acknowledged prefix grows. Duplicates are harmless.
    /// </summary>
    public void OnAcked(ulong offset, int length, bool fin)
    {
        if (_isReset) return;
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ulong end = offset + (ulong)length;
        if (end > _sentOffset) throw new ArgumentOutOfRangeException(nameof(length), "The range was never sent.");

        if (fin)
        {
            if (!_finSent) throw new ArgumentException("The FIN was never sent.", nameof(fin));
            _finAcked = true;
            _finPending = false;
        }

        ulong start = Math.Max(offset, _ackedOffset);
        if (start >= end) return;
        _lost.Remove(start, end);

        if (start == _ackedOffset && (_acked.IsEmpty || _acked.First.Start > end))
        {
            // In-order acknowledgement: the prefix simply grows.
            AdvanceAcked(end);
            return;
        }

        _acked.Add(start, end);
        if (_acked.First.Start <= _ackedOffset)
        {
            ulong newAcked = _acked.First.End;
            _acked.RemoveFirst();
            AdvanceAcked(newAcked);
        }
    }

    /// <summary>
    /// The packet carrying [offset, offset + length) (and the FIN if <paramref name="fin"/>) was declared lost:
    /// the parts not acknowledged since are queued for retransmission, ahead of new data.
    /// </summary>
    public void OnLost(ulong offset, int length, bool fin)
    {
        if (_isReset) return;
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ulong end = offset + (ulong)length;
        if (end > _sentOffset) throw new ArgumentOutOfRangeException(nameof(length), "The range was never sent.");

        if (fin && !_finAcked)
        {
            if (!_finSent) throw new ArgumentException("The FIN was never sent.", nameof(fin));
            _finPending = true;
        }

        ulong cursor = Math.Max(offset, _ackedOffset);
        int i = _acked.FirstEndingAfter(cursor);
        while (cursor < end)
        {
            if (i < _acked.Count && _acked[i].Start < end)
            {
                ByteRange acked = _acked[i];
                if (acked.Start > cursor) _lost.Add(cursor, acked.Start);
                cursor = Math.Max(cursor, acked.End);
                i++;
            }
            else
            {
                _lost.Add(cursor, end);
                break;
            }
        }
    }

    /// <summary>
    /// Abandons the stream (RESET_STREAM): nothing more is sent or retransmitted and the memory is released.
    /// Returns the final size to put in the RESET_STREAM frame, the largest offset sent (RFC 9000 section 4.5).
    /// Idempotent.
    /// </summary>
    public ulong Reset()
    {
        if (!_isReset)
        {
            _isReset = true;
            _finPending = false;
            _lost.Clear();
            _acked.Clear();
            ReleaseRing();
        }

        return _sentOffset;
    }

    public void Dispose()
    {
        _lost.Clear();
        _acked.Clear();
        ReleaseRing();
    }

    private void AdvanceAcked(ulong newAckedOffset)
    {
        int delta = (int)(newAckedOffset - _ackedOffset);
        _ackedOffset = newAckedOffset;
        if (_ackedOffset == _writtenOffset)
        {
            ReleaseRing();
            return;
        }

        _head += delta;
        if (_head >= _ring!.Length) _head -= _ring.Length;
    }

    private void EnsureRing(int needed)
    {
        if (_ring is not null && _ring.Length >= needed) return;

        int wanted = (int)Math.Min(BitOperations.RoundUpToPowerOf2((uint)needed), (uint)Math.Max(needed, _capacity));
        wanted = Math.Max(wanted, Math.Min(MinimumArrayLength, _capacity));
        byte[] grown = ArrayPool<byte>.Shared.Rent(wanted);
        int live = BufferedBytes;
        if (_ring is not null)
        {
            CopyFromRing(0, grown.AsSpan(0, live));
            ArrayPool<byte>.Shared.Return(_ring);
        }
        else
        {
            _active?.OnBufferFilled();
        }

        _ring = grown;
        _head = 0;
    }

    private void ReleaseRing()
    {
        if (_ring is not null)
        {
            ArrayPool<byte>.Shared.Return(_ring);
            _ring = null;
            _active?.OnBufferEmptied();
        }

        _head = 0;
    }

    /// <summary>Copies <paramref name="source"/> into the ring at <paramref name="relative"/> bytes past the head.</summary>
    private void CopyIntoRing(int relative, ReadOnlySpan<byte> source)
    {
        byte[] ring = _ring!;
        int position = _head + relative;
        if (position >= ring.Length) position -= ring.Length;
        int first = Math.Min(source.Length, ring.Length - position);
        source[..first].CopyTo(ring.AsSpan(position));
        source[first..].CopyTo(ring);
    }

    private void CopyFromRing(int relative, Span<byte> destination)
    {
        byte[] ring = _ring!;
        int position = _head + relative;
        if (position >= ring.Length) position -= ring.Length;
        int first = Math.Min(destination.Length, ring.Length - position);
        ring.AsSpan(position, first).CopyTo(destination);
        ring.AsSpan(0, destination.Length - first).CopyTo(destination[first..]);
    }
}
