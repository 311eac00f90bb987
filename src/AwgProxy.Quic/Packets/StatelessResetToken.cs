using System.Buffers.Binary;

namespace AwgProxy.Quic.Packets;

/// <summary>
/// A 16-byte stateless reset token (RFC 9000 section 10.3), held inline. Equality is constant-time:
/// comparing a received datagram tail against a token must not leak how many bytes matched.
/// </summary>
public readonly struct StatelessResetToken : IEquatable<StatelessResetToken>
{
    /// <summary>The token length (128 bits).</summary>
    public const int Length = 16;

    private readonly ulong _high;
    private readonly ulong _low;

    /// <summary>Copies exactly 16 bytes. Throws on any other length (a programming error).</summary>
    public StatelessResetToken(ReadOnlySpan<byte> value)
    {
        if (value.Length != Length)
        {
            throw new ArgumentException("A stateless reset token is exactly 16 bytes.", nameof(value));
        }

        _high = BinaryPrimitives.ReadUInt64BigEndian(value);
        _low = BinaryPrimitives.ReadUInt64BigEndian(value[8..]);
    }

    /// <summary>Reads a token from untrusted bytes; false unless exactly 16 bytes.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> value, out StatelessResetToken token)
    {
        if (value.Length != Length)
        {
            token = default;
            return false;
        }

        token = new StatelessResetToken(value);
        return true;
    }

    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException("Destination is shorter than 16 bytes.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _low);
    }

    /// <summary>Constant-time comparison.</summary>
    public bool Equals(StatelessResetToken other) => ((_high ^ other._high) | (_low ^ other._low)) == 0;

    /// <summary>Constant-time comparison with 16 bytes (false, without comparing, for any other length).</summary>
    public bool FixedTimeEquals(ReadOnlySpan<byte> value)
    {
        if (value.Length != Length) return false;
        ulong high = BinaryPrimitives.ReadUInt64BigEndian(value);
        ulong low = BinaryPrimitives.ReadUInt64BigEndian(value[8..]);
        return ((_high ^ high) | (_low ^ low)) == 0;
    }

    public override bool Equals(object? obj) => obj is StatelessResetToken other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_high, _low);

    public static bool operator ==(StatelessResetToken left, StatelessResetToken right) => left.Equals(right);

    public static bool operator !=(StatelessResetToken left, StatelessResetToken right) => !left.Equals(right);

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
