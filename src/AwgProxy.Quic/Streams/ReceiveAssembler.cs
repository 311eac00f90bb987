using System.Buffers;
using System.Numerics;
using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Streams;

/// <summary>
/// Reassembles one STREAM (or one CRYPTO) stream from frames that arrive out of order, overlapping or
/// duplicated, enforces the final-size rules of RFC 9000 section 4.5, and hands the application the
/// contiguous bytes in order.
/// </summary>
/// <remarks>
/// <para>
/// Received bytes are copied once, at their place, into a ring that maps stream offsets from
/// <see cref="ReadOffset"/> onwards; <see cref="Read"/> (or <see cref="GetReadableSpan"/> +
/// <see cref="Consume"/>) copies them out. Already-received parts of a frame are skipped, so duplicates cost no
/// copy. In-order arrival with nothing buffered out of order (the common case) is one bounds check and one copy.
/// The ring is rented from <see cref="ArrayPool{T}.Shared"/>, grows by doubling, never exceeds the hard limit
/// given at construction, and is returned whenever nothing is buffered.
/// </para>
/// <para>
/// Memory is bounded twice: data may not extend more than <c>maxBufferedBytes</c> past <see cref="ReadOffset"/>,
/// and the number of separate out-of-order ranges is capped (<see cref="MaxOutOfOrderRanges"/>) so tiny frames
/// with gaps cannot inflate the bookkeeping. Either overflow returns the overflow error given at construction
/// (CRYPTO_BUFFER_EXCEEDED for a CRYPTO stream). For a STREAM the caller checks flow control first, so the
/// byte limit (set to the largest receive window) is a second line of defence.
/// </para>
/// <para>Not thread-safe; owned by one connection.</para>
/// </remarks>
public sealed class ReceiveAssembler : IDisposable
{
    private const int MinimumArrayLength = 4096;

    private readonly int _maxBufferedBytes;
    private readonly int _maxRanges;
    private readonly TransportErrorCode _overflowError;
    private readonly RangeSet _pending = new(); // received ranges beyond _contiguousEnd
    private byte[]? _ring;
    private int _head; // ring index of the byte at _readOffset
    private ulong _readOffset;
    private ulong _contiguousEnd;
    private ulong _highestOffset;
    private ulong _finalSize;
    private bool _finalSizeKnown;
    private bool _discarding;

    /// <param name="maxBufferedBytes">The most bytes held past <see cref="ReadOffset"/> (at least 1).</param>
    /// <param name="overflowError">The error returned when that limit or the out-of-order range limit is exceeded.</param>
    public ReceiveAssembler(int maxBufferedBytes, TransportErrorCode overflowError)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBufferedBytes);
        _maxBufferedBytes = maxBufferedBytes;
        _maxRanges = Math.Max(256, maxBufferedBytes / 256);
        _overflowError = overflowError;
    }

    public int MaxBufferedBytes => _maxBufferedBytes;

    /// <summary>The most separate out-of-order ranges held at once: max(256, maxBufferedBytes / 256).</summary>
    public int MaxOutOfOrderRanges => _maxRanges;

    /// <summary>Bytes delivered to the application (read, consumed or discarded) so far.</summary>
    public ulong ReadOffset => _readOffset;

    /// <summary>Every byte below this offset has been received.</summary>
    public ulong ContiguousEnd => _contiguousEnd;

    /// <summary>One past the largest offset received (the stream's flow-control consumption so far).</summary>
    public ulong HighestOffset => _highestOffset;

    public bool IsFinalSizeKnown => _finalSizeKnown;

    /// <summary>The final size; meaningful when <see cref="IsFinalSizeKnown"/>.</summary>
    public ulong FinalSize => _finalSize;

    /// <summary>Contiguous bytes ready to be read.</summary>
    public int ReadableBytes => (int)(_contiguousEnd - _readOffset);

    /// <summary>Every byte up to the final size has been received ("Data Recvd").</summary>
    public bool IsAllReceived => _finalSizeKnown && _contiguousEnd == _finalSize;

    /// <summary>Every byte up to the final size has been read ("Data Read").</summary>
    public bool IsFinished => _finalSizeKnown && _readOffset == _finalSize;

    /// <summary>Whether <see cref="Discard"/> was called: data is checked and counted but no longer stored.</summary>
    public bool IsDiscarding => _discarding;

    /// <summary>
    /// The checks <see cref="Insert"/> makes, without changing anything: those of <see cref="ValidateFinalSize(ulong, int, bool)"/>,
    /// then the overflow error when the data ends more than the byte limit past <see cref="ReadOffset"/>.
    /// </summary>
    public TransportErrorCode Validate(ulong offset, int length, bool fin)
    {
        TransportErrorCode error = ValidateFinalSize(offset, length, fin);
        if (error != TransportErrorCode.NO_ERROR) return error;
        ulong end = offset + (ulong)length;
        if (!_discarding && length > 0 && end - Math.Min(end, _readOffset) > (ulong)_maxBufferedBytes) return _overflowError;
        return TransportErrorCode.NO_ERROR;
    }

    /// <summary>
    /// The offset and final-size checks for a frame, without changing anything: FRAME_ENCODING_ERROR when it ends
    /// past 2^62 - 1; FINAL_SIZE_ERROR (RFC 9000 section 4.5) for data beyond a known final size, a FIN that changes
    /// it, or a FIN below data already received.
    /// </summary>
    public TransportErrorCode ValidateFinalSize(ulong offset, int length, bool fin)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (offset > VarInt.MaxValue - (ulong)length) return TransportErrorCode.FRAME_ENCODING_ERROR;
        ulong end = offset + (ulong)length;

        if (_finalSizeKnown)
        {
            if (end > _finalSize || (fin && end != _finalSize)) return TransportErrorCode.FINAL_SIZE_ERROR;
        }
        else if (fin && end < _highestOffset)
        {
            return TransportErrorCode.FINAL_SIZE_ERROR;
        }

        return TransportErrorCode.NO_ERROR;
    }

    /// <summary>
    /// The checks a RESET_STREAM's Final Size must pass (RFC 9000 section 4.5): it may not differ from a known
    /// final size nor lie below data already received. Changes nothing.
    /// </summary>
    public TransportErrorCode ValidateFinalSize(ulong finalSize)
    {
        if (finalSize > VarInt.MaxValue) return TransportErrorCode.FRAME_ENCODING_ERROR;
        if (_finalSizeKnown ? finalSize != _finalSize : finalSize < _highestOffset) return TransportErrorCode.FINAL_SIZE_ERROR;
        return TransportErrorCode.NO_ERROR;
    }

    /// <summary>Sets the final size from a RESET_STREAM after <see cref="ValidateFinalSize(ulong)"/>; returns its result.</summary>
    public TransportErrorCode SetFinalSize(ulong finalSize)
    {
        TransportErrorCode error = ValidateFinalSize(finalSize);
        if (error != TransportErrorCode.NO_ERROR) return error;
        _finalSize = finalSize;
        _finalSizeKnown = true;
        _highestOffset = finalSize;
        return TransportErrorCode.NO_ERROR;
    }

    /// <summary>
    /// Stores the frame's data at <paramref name="offset"/>; <paramref name="fin"/> fixes the final size at its end.
    /// Returns NO_ERROR or the error of <see cref="Validate"/> (then nothing changed); too many out-of-order
    /// ranges also return the overflow error.
    /// </summary>
    public TransportErrorCode Insert(ulong offset, ReadOnlySpan<byte> data, bool fin)
    {
        TransportErrorCode error = Validate(offset, data.Length, fin);
        if (error != TransportErrorCode.NO_ERROR) return error;

        ulong end = offset + (ulong)data.Length;
        if (_discarding || end <= _contiguousEnd || data.IsEmpty)
        {
            // Nothing to store: discarded, a duplicate, or an empty (FIN-only) frame.
            Commit(end, fin);
            return TransportErrorCode.NO_ERROR;
        }

        ulong start = Math.Max(offset, _contiguousEnd);
        if (start == _contiguousEnd && _pending.IsEmpty)
        {
            // Fast path: in order, nothing buffered out of order.
            EnsureRing((int)(end - _readOffset));
            CopyIntoRing((int)(start - _readOffset), data[(int)(start - offset)..]);
            _contiguousEnd = end;
            Commit(end, fin);
            return TransportErrorCode.NO_ERROR;
        }

        if (_pending.Count >= _maxRanges && start > _contiguousEnd && !_pending.OverlapsOrAdjoins(start, end))
        {
            return _overflowError;
        }

        ulong storedEnd = _pending.IsEmpty ? _contiguousEnd : Math.Max(_contiguousEnd, _pending.Last.End);
        EnsureRing((int)(Math.Max(end, storedEnd) - _readOffset));

        // Copy only the holes of [start, end) that are not already held.
        ulong cursor = start;
        int i = _pending.FirstEndingAfter(cursor);
        while (cursor < end)
        {
            ulong holeEnd = end;
            if (i < _pending.Count && _pending[i].Start < end) holeEnd = Math.Max(cursor, _pending[i].Start);
            if (holeEnd > cursor)
            {
                CopyIntoRing((int)(cursor - _readOffset), data.Slice((int)(cursor - offset), (int)(holeEnd - cursor)));
            }

            if (holeEnd == end) break;
            cursor = Math.Max(cursor, _pending[i].End);
            i++;
        }

        _pending.Add(start, end);
        if (_pending.First.Start <= _contiguousEnd)
        {
            _contiguousEnd = _pending.First.End;
            _pending.RemoveFirst();
        }

        Commit(end, fin);
        return TransportErrorCode.NO_ERROR;
    }

    /// <summary>Copies up to <paramref name="destination"/>.Length contiguous bytes out and returns the count.</summary>
    public int Read(Span<byte> destination)
    {
        int count = Math.Min(destination.Length, ReadableBytes);
        if (count == 0) return 0;
        CopyFromRing(0, destination[..count]);
        Consume(count);
        return count;
    }

    /// <summary>
    /// The first contiguous run of readable bytes inside the ring (less than <see cref="ReadableBytes"/> when the
    /// data wraps); valid until the next mutating call. Pair with <see cref="Consume"/> to read without copying.
    /// </summary>
    public ReadOnlySpan<byte> GetReadableSpan()
    {
        int readable = ReadableBytes;
        if (readable == 0) return default;
        byte[] ring = _ring!;
        return ring.AsSpan(_head, Math.Min(readable, ring.Length - _head));
    }

    /// <summary>Marks <paramref name="count"/> readable bytes as delivered.</summary>
    public void Consume(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, ReadableBytes);
        if (count == 0) return;
        _readOffset += (ulong)count;
        if (_readOffset == _contiguousEnd && _pending.IsEmpty)
        {
            ReleaseRing();
            return;
        }

        _head += count;
        if (_head >= _ring!.Length) _head -= _ring.Length;
    }

    /// <summary>
    /// Stops storing data (the application aborted reading, or the stream was reset): frees the memory and moves
    /// <see cref="ReadOffset"/> and <see cref="ContiguousEnd"/> to <see cref="HighestOffset"/>. Later frames are
    /// still validated and advance HighestOffset (they still count for flow control) but are not kept.
    /// </summary>
    public void Discard()
    {
        _discarding = true;
        _pending.Clear();
        ReleaseRing();
        _readOffset = Math.Max(_readOffset, _highestOffset);
        _contiguousEnd = _readOffset;
    }

    public void Dispose()
    {
        _pending.Clear();
        ReleaseRing();
    }

    private void Commit(ulong end, bool fin)
    {
        if (end > _highestOffset) _highestOffset = end;
        if (fin)
        {
            _finalSize = end;
            _finalSizeKnown = true;
        }

        if (_discarding)
        {
            _readOffset = _highestOffset;
            _contiguousEnd = _highestOffset;
        }
    }

    private void EnsureRing(int needed)
    {
        if (_ring is not null && _ring.Length >= needed) return;

        int wanted = (int)Math.Min(BitOperations.RoundUpToPowerOf2((uint)needed), (uint)Math.Max(needed, _maxBufferedBytes));
        wanted = Math.Max(wanted, Math.Min(MinimumArrayLength, _maxBufferedBytes));
        byte[] grown = ArrayPool<byte>.Shared.Rent(wanted);
        if (_ring is not null)
        {
            // Move everything from the head up to the ring's end (holes included) to the start of the new array.
            int firstPart = _ring.Length - _head;
            _ring.AsSpan(_head).CopyTo(grown);
            _ring.AsSpan(0, _head).CopyTo(grown.AsSpan(firstPart));
            ArrayPool<byte>.Shared.Return(_ring);
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
        }

        _head = 0;
    }

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
