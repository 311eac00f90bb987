using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Packets;

/// <summary>
/// Stateless Reset (RFC 9000 section 10.3): a datagram that looks like a short header packet and ends
/// with the stateless reset token of the connection ID it answers.
/// <code>
/// Stateless Reset {
///   Fixed Bits (2) = 1,
///   Unpredictable Bits (38..),
///   Stateless Reset Token (128),
/// }
/// </code>
/// </summary>
public static class StatelessReset
{
    /// <summary>The smallest Stateless Reset: 5 bytes (38 unpredictable bits and the fixed bits) plus the token.</summary>
    public const int MinLength = 5 + StatelessResetToken.Length;

    /// <summary>A reset this long or more is hard to tell apart from a packet with a connection ID (section 10.3.3).</summary>
    public const int RecommendedLength = 41;

    /// <summary>Triggers up to this long get a reset exactly one byte shorter (section 10.3).</summary>
    private const int SmallTriggerLength = 43;

    /// <summary>
    /// The length of the reset to send in answer to a packet of <paramref name="triggeringLength"/> bytes, or 0
    /// if none may be sent. A reset is always smaller than its trigger (no reset loops, section 10.3.3), and so
    /// also less than three times its size; it is one byte shorter than a trigger of up to 43 bytes, as the RFC
    /// suggests, and otherwise <paramref name="preferredLength"/> capped below the trigger.
    /// </summary>
    public static int GetLength(int triggeringLength, int preferredLength = RecommendedLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(preferredLength, MinLength);
        if (triggeringLength <= MinLength) return 0;
        if (triggeringLength <= SmallTriggerLength) return triggeringLength - 1;
        return Math.Min(preferredLength, triggeringLength - 1);
    }

    /// <summary>
    /// Writes a Stateless Reset of <paramref name="length"/> bytes: a first byte 0b01xxxxxx, unpredictable
    /// bytes taken from <paramref name="random"/> (at least length - 16 bytes, from a CSPRNG), then the token.
    /// </summary>
    public static void Write(ref SpanWriter writer, int length, scoped ReadOnlySpan<byte> random, in StatelessResetToken token)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, MinLength);
        int unpredictable = length - StatelessResetToken.Length;
        if (random.Length < unpredictable) throw new ArgumentException("Not enough random bytes.", nameof(random));
        Span<byte> span = writer.Reserve(length);
        random[..unpredictable].CopyTo(span);
        span[0] = (byte)(0x40 | (random[0] & 0x3f));
        token.CopyTo(span[unpredictable..]);
    }

    /// <summary>
    /// The last 16 bytes of a datagram, as a candidate token to look up among the peer's tokens. False if the
    /// datagram is too short to be a Stateless Reset.
    /// </summary>
    public static bool TryGetToken(ReadOnlySpan<byte> datagram, out StatelessResetToken token)
    {
        if (datagram.Length < MinLength)
        {
            token = default;
            return false;
        }

        token = new StatelessResetToken(datagram[^StatelessResetToken.Length..]);
        return true;
    }

    /// <summary>
    /// True if the datagram ends with <paramref name="token"/> (constant-time). Any packet ending in a valid
    /// token is a Stateless Reset, whatever its header form (RFC 9000 section 10.3).
    /// </summary>
    public static bool Matches(ReadOnlySpan<byte> datagram, in StatelessResetToken token) =>
        datagram.Length >= MinLength && token.FixedTimeEquals(datagram[^StatelessResetToken.Length..]);
}
