using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace AwgProxy.Quic.Coding;

/// <summary>
/// A forward-only reader over untrusted bytes. Every Try method either consumes exactly what it
/// returns or, on a short input, consumes nothing and returns false. Nothing here throws on input.
/// </summary>
public ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public SpanReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    /// <summary>Bytes consumed so far.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes left to read.</summary>
    public readonly int Remaining => _buffer.Length - _position;

    public readonly bool IsEmpty => _position >= _buffer.Length;

    /// <summary>The unread part of the input.</summary>
    public readonly ReadOnlySpan<byte> RemainingSpan => _buffer[_position..];

    /// <summary>The whole input, read or not.</summary>
    public readonly ReadOnlySpan<byte> Buffer => _buffer;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadByte(out byte value)
    {
        if (_position < _buffer.Length)
        {
            value = _buffer[_position++];
            return true;
        }

        value = 0;
        return false;
    }

    public readonly bool TryPeekByte(out byte value)
    {
        if (_position < _buffer.Length)
        {
            value = _buffer[_position];
            return true;
        }

        value = 0;
        return false;
    }

    public bool TryReadUInt16(out ushort value)
    {
        if (Remaining >= 2)
        {
            value = BinaryPrimitives.ReadUInt16BigEndian(_buffer[_position..]);
            _position += 2;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>A 24-bit big-endian integer (TLS handshake message lengths).</summary>
    public bool TryReadUInt24(out int value)
    {
        if (Remaining >= 3)
        {
            value = (_buffer[_position] << 16) | (_buffer[_position + 1] << 8) | _buffer[_position + 2];
            _position += 3;
            return true;
        }

        value = 0;
        return false;
    }

    public bool TryReadUInt32(out uint value)
    {
        if (Remaining >= 4)
        {
            value = BinaryPrimitives.ReadUInt32BigEndian(_buffer[_position..]);
            _position += 4;
            return true;
        }

        value = 0;
        return false;
    }

    public bool TryReadUInt64(out ulong value)
    {
        if (Remaining >= 8)
        {
            value = BinaryPrimitives.ReadUInt64BigEndian(_buffer[_position..]);
            _position += 8;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>A QUIC variable-length integer (RFC 9000 section 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadVarInt(out ulong value)
    {
        if (VarInt.TryRead(_buffer[_position..], out value, out int consumed))
        {
            _position += consumed;
            return true;
        }

        return false;
    }

    /// <summary>Reads <paramref name="length"/> bytes as a slice of the input (no copy).</summary>
    public bool TryReadBytes(int length, out ReadOnlySpan<byte> value)
    {
        if (length >= 0 && Remaining >= length)
        {
            value = _buffer.Slice(_position, length);
            _position += length;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Reads a length that must fit in the rest of the input, then that many bytes. 64-bit lengths are safe.</summary>
    public bool TryReadBytes(ulong length, out ReadOnlySpan<byte> value)
    {
        if (length <= (ulong)Remaining)
        {
            value = _buffer.Slice(_position, (int)length);
            _position += (int)length;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Reads a varint length prefix and the bytes it announces; consumes nothing on failure.</summary>
    public bool TryReadVarIntLengthPrefixed(out ReadOnlySpan<byte> value)
    {
        int start = _position;
        if (TryReadVarInt(out ulong length) && TryReadBytes(length, out value))
        {
            return true;
        }

        _position = start;
        value = default;
        return false;
    }

    /// <summary>Reads a 1-byte length prefix and the bytes it announces (TLS opaque&lt;0..255&gt;).</summary>
    public bool TryReadUInt8LengthPrefixed(out ReadOnlySpan<byte> value)
    {
        int start = _position;
        if (TryReadByte(out byte length) && TryReadBytes(length, out value))
        {
            return true;
        }

        _position = start;
        value = default;
        return false;
    }

    /// <summary>Reads a 2-byte length prefix and the bytes it announces (TLS opaque&lt;0..2^16-1&gt;).</summary>
    public bool TryReadUInt16LengthPrefixed(out ReadOnlySpan<byte> value)
    {
        int start = _position;
        if (TryReadUInt16(out ushort length) && TryReadBytes(length, out value))
        {
            return true;
        }

        _position = start;
        value = default;
        return false;
    }

    /// <summary>Reads a 3-byte length prefix and the bytes it announces (TLS opaque&lt;0..2^24-1&gt;).</summary>
    public bool TryReadUInt24LengthPrefixed(out ReadOnlySpan<byte> value)
    {
        int start = _position;
        if (TryReadUInt24(out int length) && TryReadBytes(length, out value))
        {
            return true;
        }

        _position = start;
        value = default;
        return false;
    }

    public bool TrySkip(int length)
    {
        if (length >= 0 && Remaining >= length)
        {
            _position += length;
            return true;
        }

        return false;
    }
}
