namespace AwgProxy.Quic.Streams;

/// <summary>
/// A set of disjoint, non-adjacent half-open byte ranges [Start, End) of a stream, kept sorted in one array.
/// Used for acknowledged and lost ranges of a <see cref="SendBuffer"/> and for out-of-order data in a
/// <see cref="ReceiveAssembler"/>. The array grows by doubling and is never shrunk, so steady-state use
/// allocates nothing; lookups are binary searches, updates shift the tail of the array.
/// </summary>
internal sealed class RangeSet
{
    private ByteRange[] _ranges = [];
    private int _count;

    public int Count => _count;

    public bool IsEmpty => _count == 0;

    public ByteRange this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index));
            return _ranges[index];
        }
    }

    public ByteRange First => this[0];

    public ByteRange Last => this[_count - 1];

    public void Clear() => _count = 0;

    /// <summary>Whether [start, end) overlaps or touches a range in the set (adding it would not add an entry).</summary>
    public bool OverlapsOrAdjoins(ulong start, ulong end)
    {
        int i = FirstEndingAtOrAfter(start);
        return i < _count && _ranges[i].Start <= end;
    }

    /// <summary>Whether every byte of [start, end) is in the set.</summary>
    public bool Contains(ulong start, ulong end)
    {
        if (start >= end) return true;
        int i = FirstEndingAfter(start);
        return i < _count && _ranges[i].Start <= start && _ranges[i].End >= end;
    }

    /// <summary>Adds [start, end), merging with ranges it overlaps or touches.</summary>
    public void Add(ulong start, ulong end)
    {
        if (start >= end) return;

        // Ranges first..last-1 overlap or touch [start, end].
        int first = FirstEndingAtOrAfter(start);
        int last = first;
        while (last < _count && _ranges[last].Start <= end) last++;

        if (first == last)
        {
            InsertAt(first, new ByteRange(start, end));
            return;
        }

        ulong mergedStart = Math.Min(start, _ranges[first].Start);
        ulong mergedEnd = Math.Max(end, _ranges[last - 1].End);
        _ranges[first] = new ByteRange(mergedStart, mergedEnd);
        RemoveAt(first + 1, last - first - 1);
    }

    /// <summary>Removes [start, end) from the set, trimming or splitting ranges it overlaps.</summary>
    public void Remove(ulong start, ulong end)
    {
        if (start >= end) return;

        int i = FirstEndingAfter(start);
        while (i < _count && _ranges[i].Start < end)
        {
            ByteRange r = _ranges[i];
            bool keepLeft = r.Start < start;
            bool keepRight = r.End > end;
            if (keepLeft && keepRight)
            {
                _ranges[i] = new ByteRange(r.Start, start);
                InsertAt(i + 1, new ByteRange(end, r.End));
                return;
            }

            if (keepLeft)
            {
                _ranges[i] = new ByteRange(r.Start, start);
                i++;
            }
            else if (keepRight)
            {
                _ranges[i] = new ByteRange(end, r.End);
                return;
            }
            else
            {
                RemoveAt(i, 1);
            }
        }
    }

    public void RemoveFirst() => RemoveAt(0, 1);

    /// <summary>Index of the first range with End &gt;= offset (so it overlaps or touches offset), or Count.</summary>
    private int FirstEndingAtOrAfter(ulong offset)
    {
        int lo = 0, hi = _count;
        while (lo < hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            if (_ranges[mid].End < offset) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }

    /// <summary>Index of the first range with End &gt; offset (so it contains offset or lies after it), or Count.</summary>
    public int FirstEndingAfter(ulong offset)
    {
        int lo = 0, hi = _count;
        while (lo < hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            if (_ranges[mid].End <= offset) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }

    private void InsertAt(int index, ByteRange range)
    {
        if (_count == _ranges.Length)
        {
            var grown = new ByteRange[Math.Max(4, _ranges.Length * 2)];
            Array.Copy(_ranges, grown, _count);
            _ranges = grown;
        }

        if (index < _count) Array.Copy(_ranges, index, _ranges, index + 1, _count - index);
        _ranges[index] = range;
        _count++;
    }

    private void RemoveAt(int index, int count)
    {
        if (count == 0) return;
        if ((uint)index > (uint)_count || (uint)count > (uint)(_count - index)) throw new ArgumentOutOfRangeException(nameof(count));
        int tail = _count - index - count;
        if (tail > 0) Array.Copy(_ranges, index + count, _ranges, index, tail);
        _count -= count;
    }
}

/// <summary>A half-open range [Start, End) of stream offsets.</summary>
internal readonly record struct ByteRange(ulong Start, ulong End)
{
    public ulong Length => End - Start;
}
