using System.Runtime.CompilerServices;

namespace AwgProxy.Quic;

/// <summary>
/// A point on a monotonic clock, in 100 ns ticks (the unit of <see cref="TimeSpan"/>). The core never reads
/// a clock: every entry point takes the current <see cref="Instant"/> from its caller, so simulations can run
/// in virtual time.
/// </summary>
public readonly record struct Instant(long Ticks) : IComparable<Instant>
{
    /// <summary>A deadline that never arrives.</summary>
    public static readonly Instant Never = new(long.MaxValue);

    public static readonly Instant Zero = new(0);

    public bool IsNever => Ticks == long.MaxValue;

    public static Instant FromMicroseconds(long microseconds) => new(microseconds * TimeSpan.TicksPerMicrosecond);

    public static Instant FromMilliseconds(long milliseconds) => new(milliseconds * TimeSpan.TicksPerMillisecond);

    public long TotalMicroseconds => Ticks / TimeSpan.TicksPerMicrosecond;

    public int CompareTo(Instant other) => Ticks.CompareTo(other.Ticks);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Instant operator +(Instant instant, TimeSpan span)
    {
        if (instant.IsNever) return Never;
        long ticks = instant.Ticks + span.Ticks;
        // Saturate instead of wrapping: a huge timeout means "never".
        if (span.Ticks > 0 && ticks < instant.Ticks) return Never;
        return new Instant(ticks);
    }

    public static Instant operator -(Instant instant, TimeSpan span) => new(instant.Ticks - span.Ticks);

    public static TimeSpan operator -(Instant left, Instant right) => new(left.Ticks - right.Ticks);

    public static bool operator <(Instant left, Instant right) => left.Ticks < right.Ticks;

    public static bool operator >(Instant left, Instant right) => left.Ticks > right.Ticks;

    public static bool operator <=(Instant left, Instant right) => left.Ticks <= right.Ticks;

    public static bool operator >=(Instant left, Instant right) => left.Ticks >= right.Ticks;

    public static Instant Min(Instant a, Instant b) => a.Ticks <= b.Ticks ? a : b;

    public static Instant Max(Instant a, Instant b) => a.Ticks >= b.Ticks ? a : b;

    public override string ToString() => IsNever ? "never" : $"{Ticks / (double)TimeSpan.TicksPerMillisecond:0.000}ms";
}
