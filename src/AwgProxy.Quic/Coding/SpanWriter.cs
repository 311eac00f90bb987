using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace AwgProxy.Quic.Coding;

/// <summary>
/// A forward-only writer into a caller-owned buffer. Writers size their output first (each wire type
/// has a Length), so running out of room is a programming error and throws.
/// </summary>
public ref struct SpanWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    public SpanWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Position => _position;

    /// <summary>Room left.</summary>
    public readonly int Remaining => _buffer.Length - _position;

    /// <summary>The part of the buffer written so far.</summary>
    public readonly Span<byte> Written => _buffer[.._position];

    /// <summary>The whole buffer.</summary>
    public readonly Span<byte> Buffer => _buffer;

    /// <summary>The unwritten rest of the buffer, for writing in place followed by <see cref="Advance"/>.</summary>
    public readonly Span<byte> Free => _buffer[_position..];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(byte value)
    {
        if (_position >= _buffer.Length) ThrowTooSmall();
        _buffer[_position++] = value;
    }

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);
    }

    public void WriteUInt24(int value)
    {
        if ((uint)value > 0xFF_FFFF) throw new ArgumentOutOfRangeException(nameof(value));
        Span<byte> span = Reserve(3);
        span[0] = (byte)(value >> 16);
        span[1] = (byte)(value >> 8);
        span[2] = (byte)value;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(Reserve(8), value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarInt(ulong value)
    {
        if (!VarInt.TryWrite(_buffer[_position..], value, out int written)) ThrowTooSmall();
        _position += written;
    }

    /// <summary>Writes a varint using exactly <paramref name="length"/> bytes.</summary>
    public void WriteVarInt(ulong value, int length)
    {
        if (!VarInt.TryWrite(_buffer[_position..], value, length, out int written)) ThrowTooSmall();
        _position += written;
    }

    public void WriteBytes(scoped ReadOnlySpan<byte> value)
    {
        value.CopyTo(Reserve(value.Length));
    }

    /// <summary>Writes <paramref name="count"/> copies of <paramref name="value"/>.</summary>
    public void Fill(byte value, int count)
    {
        Reserve(count).Fill(value);
    }

    /// <summary>Returns the next <paramref name="length"/> bytes of the buffer and moves past them.</summary>
    public Span<byte> Reserve(int length)
    {
        if (length < 0 || Remaining < length) ThrowTooSmall();
        Span<byte> span = _buffer.Slice(_position, length);
        _position += length;
        return span;
    }

    /// <summary>Moves past <paramref name="count"/> bytes written directly into <see cref="Free"/>.</summary>
    public void Advance(int count)
    {
        if (count < 0 || Remaining < count) ThrowTooSmall();
        _position += count;
    }

    private static void ThrowTooSmall() => throw new InvalidOperationException("Destination buffer too small.");
}
