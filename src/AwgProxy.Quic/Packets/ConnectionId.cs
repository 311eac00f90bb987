using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AwgProxy.Quic.Packets;

/// <summary>
/// A QUIC connection ID (RFC 9000 section 5.1): 0 to 20 bytes in version 1, held inline so a
/// <see cref="ConnectionId"/> never touches the heap. Usable as a dictionary key.
/// </summary>
public readonly struct ConnectionId : IEquatable<ConnectionId>
{
    /// <summary>The longest connection ID QUIC version 1 allows (RFC 9000 section 17.2).</summary>
    public const int MaxLength = 20;

    private readonly ConnectionIdBytes _bytes;
    private readonly byte _length;

    /// <summary>Copies <paramref name="value"/>. Throws if it is longer than <see cref="MaxLength"/> (a programming error).</summary>
    public ConnectionId(ReadOnlySpan<byte> value)
    {
        if (value.Length > MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value.Length, "A connection ID is at most 20 bytes.");
        }

        value.CopyTo(_bytes);
        _length = (byte)value.Length;
    }

    /// <summary>The zero-length connection ID.</summary>
    public static ConnectionId Empty => default;

    /// <summary>Creates a connection ID from untrusted bytes; false if longer than <see cref="MaxLength"/>.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> value, out ConnectionId connectionId)
    {
        if (value.Length > MaxLength)
        {
            connectionId = default;
            return false;
        }

        connectionId = new ConnectionId(value);
        return true;
    }

    public int Length => _length;

    public bool IsEmpty => _length == 0;

    /// <summary>The bytes of the connection ID. The span points into this value, so call it on a variable.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> AsSpan() => ((ReadOnlySpan<byte>)_bytes)[.._length];

    /// <summary>Copies the bytes to <paramref name="destination"/> and returns how many were written.</summary>
    public int CopyTo(Span<byte> destination)
    {
        AsSpan().CopyTo(destination);
        return _length;
    }

    public bool Equals(ConnectionId other) => AsSpan().SequenceEqual(other.AsSpan());

    /// <summary>True if this connection ID has exactly the bytes of <paramref name="other"/>.</summary>
    public bool Equals(ReadOnlySpan<byte> other) => AsSpan().SequenceEqual(other);

    public override bool Equals(object? obj) => obj is ConnectionId other && Equals(other);

    public override int GetHashCode()
    {
        // HashCode is seeded per process, so peers cannot choose colliding connection IDs offline.
        var hash = new HashCode();
        hash.AddBytes(AsSpan());
        return hash.ToHashCode();
    }

    public static bool operator ==(ConnectionId left, ConnectionId right) => left.Equals(right);

    public static bool operator !=(ConnectionId left, ConnectionId right) => !left.Equals(right);

    /// <summary>Lower-case hex, the form used in logs.</summary>
    public override string ToString() => Convert.ToHexStringLower(AsSpan());

    [InlineArray(MaxLength)]
    private struct ConnectionIdBytes
    {
        private byte _element0;
    }
}
