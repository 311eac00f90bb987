using System.Buffers;

namespace AwgProxy.Socks5;

/// <summary>
/// Bytes received during the handshake and not yet parsed. Messages are parsed from <see cref="Data"/> (the
/// bytes of several reads, or part of one), never from "one read", and consumed once complete.
/// </summary>
/// <remarks>
/// Invariant: 0 &lt;= _start &lt;= _end &lt;= _capacity; [_start, _end) are the unparsed bytes. The capacity
/// exceeds twice the largest handshake message (RFC 1929's 513 octets), so after compaction a partial
/// message always has room to complete. The array is rented and returned by <see cref="Dispose"/>.
/// </remarks>
internal sealed class Socks5InputBuffer : IDisposable
{
    /// <summary>Default capacity: room for a whole RFC 1929 request (513 octets) plus a pipelined request.</summary>
    public const int DefaultCapacity = 1024;

    private readonly int _capacity;
    private byte[]? _array;
    private int _start;
    private int _end;

    public Socks5InputBuffer(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
        _array = ArrayPool<byte>.Shared.Rent(capacity);
    }

    /// <summary>Number of unparsed bytes.</summary>
    public int Length => _end - _start;

    /// <summary>The unparsed bytes.</summary>
    public ReadOnlySpan<byte> Data => Array.AsSpan(_start, _end - _start);

    /// <summary>The unparsed bytes, for an asynchronous write.</summary>
    public ReadOnlyMemory<byte> DataMemory => Array.AsMemory(_start, _end - _start);

    private byte[] Array => _array ?? throw new ObjectDisposedException(nameof(Socks5InputBuffer));

    /// <summary>Drops the first <paramref name="count"/> unparsed bytes (a parsed message).</summary>
    public void Consume(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Length);
        _start += count;
        if (_start == _end)
        {
            _start = 0;
            _end = 0;
        }
    }

    /// <summary>
    /// Free space after the unparsed bytes, moving them to the front first when the tail is full. Empty only
    /// when the unparsed bytes fill the whole capacity.
    /// </summary>
    public Memory<byte> GetFreeMemory()
    {
        byte[] array = Array;
        if (_end == _capacity && _start > 0)
        {
            Buffer.BlockCopy(array, _start, array, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        return array.AsMemory(_end, _capacity - _end);
    }

    /// <summary>Records that <paramref name="count"/> bytes were written into <see cref="GetFreeMemory"/>.</summary>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _capacity - _end);
        _end += count;
    }

    public void Dispose()
    {
        byte[]? array = _array;
        _array = null;
        if (array is not null)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
