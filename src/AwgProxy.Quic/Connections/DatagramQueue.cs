using System.Buffers;

namespace AwgProxy.Quic.Connections;

/// <summary>
/// A bounded FIFO of DATAGRAM payloads (RFC 9221), one direction of a connection. Payloads are copied into buffers
/// rented from <see cref="ArrayPool{T}.Shared"/> and returned when dequeued: no allocation in steady state.
/// </summary>
internal sealed class DatagramQueue : IDisposable
{
    private readonly (byte[] Buffer, int Length)[] _slots;
    private int _head;
    private int _count;

    public DatagramQueue(int capacity)
    {
        _slots = new (byte[], int)[capacity];
    }

    public int Count => _count;

    public bool IsFull => _count == _slots.Length;

    /// <summary>Length of the oldest payload; -1 when empty.</summary>
    public int PeekLength => _count == 0 ? -1 : _slots[_head].Length;

    public ReadOnlySpan<byte> Peek() => _count == 0 ? default : _slots[_head].Buffer.AsSpan(0, _slots[_head].Length);

    public bool TryEnqueue(ReadOnlySpan<byte> payload)
    {
        if (IsFull) return false;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, payload.Length));
        payload.CopyTo(buffer);
        _slots[(_head + _count) % _slots.Length] = (buffer, payload.Length);
        _count++;
        return true;
    }

    /// <summary>Removes the oldest payload.</summary>
    public void Dequeue()
    {
        if (_count == 0) return;
        ArrayPool<byte>.Shared.Return(_slots[_head].Buffer);
        _slots[_head] = default;
        _head = (_head + 1) % _slots.Length;
        _count--;
    }

    public void Clear()
    {
        while (_count > 0) Dequeue();
    }

    public void Dispose() => Clear();
}
