using System.Globalization;
using System.Text;

namespace AwgProxy.Interop.Cli;

/// <summary>
/// Go's <c>time.ParseDuration</c> and <c>Duration.String</c>, for flags such as <c>-lifetime 10m</c>,
/// <c>-timeout 1m30s</c>, <c>-idle 500ms</c>: an optional sign, then one or more decimal numbers (with an
/// optional fraction), each followed by a unit: ns, us (µs, μs), ms, s, m, h. "0" alone needs no unit.
/// TimeSpan counts 100 ns ticks, so nanosecond parts below that are truncated.
/// </summary>
public static class GoDuration
{
    private const ulong Nanosecond = 1;
    private const ulong Microsecond = 1000 * Nanosecond;
    private const ulong Millisecond = 1000 * Microsecond;
    private const ulong Second = 1000 * Millisecond;
    private const ulong Minute = 60 * Second;
    private const ulong Hour = 60 * Minute;
    private const ulong NanosecondsPerTick = 100;
    private const ulong SignedLimit = 1UL << 63;

    /// <summary>Parses <paramref name="text"/> as Go does; false on any syntax error or overflow.</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        ReadOnlySpan<char> s = text;
        bool negative = false;
        if (!s.IsEmpty && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        ulong total = 0;
        while (!s.IsEmpty)
        {
            if (!(s[0] == '.' || char.IsAsciiDigit(s[0])))
            {
                return false;
            }

            int before = s.Length;
            if (!TryLeadingInt(ref s, out ulong whole))
            {
                return false;
            }

            bool hasWhole = before != s.Length;
            ulong fraction = 0;
            double scale = 1;
            bool hasFraction = false;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                int afterDot = s.Length;
                LeadingFraction(ref s, out fraction, out scale);
                hasFraction = afterDot != s.Length;
            }

            if (!hasWhole && !hasFraction)
            {
                return false;
            }

            int unitLength = 0;
            while (unitLength < s.Length && s[unitLength] != '.' && !char.IsAsciiDigit(s[unitLength]))
            {
                unitLength++;
            }

            if (unitLength == 0 || !TryUnit(s[..unitLength], out ulong unit))
            {
                return false;
            }

            s = s[unitLength..];
            if (whole > SignedLimit / unit)
            {
                return false;
            }

            ulong part = whole * unit;
            if (fraction > 0)
            {
                part += (ulong)(fraction * (unit / scale));
                if (part > SignedLimit)
                {
                    return false;
                }
            }

            total += part;
            if (total > SignedLimit)
            {
                return false;
            }
        }

        if (!negative && total > SignedLimit - 1)
        {
            return false;
        }

        long ticks = (long)(total / NanosecondsPerTick);
        value = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    /// <summary>Formats like Go's <c>Duration.String</c>: "10m0s", "30s", "1.5s", "500ms", "0s".</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        long ticks = value.Ticks;
        if (ticks < 0)
        {
            builder.Append('-');
            ticks = -ticks;
        }

        ulong ns = (ulong)ticks * NanosecondsPerTick;
        if (ns < Second)
        {
            (ulong unit, string name) = ns < Microsecond ? (Nanosecond, "ns") : ns < Millisecond ? (Microsecond, "µs") : (Millisecond, "ms");
            AppendDecimal(builder, ns, unit);
            return builder.Append(name).ToString();
        }

        ulong hours = ns / Hour;
        ulong minutes = ns % Hour / Minute;
        ulong rest = ns % Minute;
        if (hours > 0)
        {
            builder.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            builder.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        AppendDecimal(builder, rest, Second);
        return builder.Append('s').ToString();
    }

    private static void AppendDecimal(StringBuilder builder, ulong value, ulong unit)
    {
        builder.Append((value / unit).ToString(CultureInfo.InvariantCulture));
        ulong fraction = value % unit;
        if (fraction == 0)
        {
            return;
        }

        int digits = unit switch { Second => 9, Millisecond => 6, Microsecond => 3, _ => 0 };
        string text = fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        builder.Append('.').Append(text);
    }

    private static bool TryLeadingInt(ref ReadOnlySpan<char> s, out ulong value)
    {
        value = 0;
        int i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (value > (SignedLimit - 1) / 10)
            {
                return false;
            }

            value = value * 10 + (ulong)(s[i] - '0');
            if (value > SignedLimit)
            {
                return false;
            }
        }

        s = s[i..];
        return true;
    }

    private static void LeadingFraction(ref ReadOnlySpan<char> s, out ulong value, out double scale)
    {
        value = 0;
        scale = 1;
        bool overflow = false;
        int i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (overflow)
            {
                continue;
            }

            if (value > (SignedLimit - 1) / 10)
            {
                overflow = true;
                continue;
            }

            ulong next = value * 10 + (ulong)(s[i] - '0');
            if (next > SignedLimit)
            {
                overflow = true;
                continue;
            }

            value = next;
            scale *= 10;
        }

        s = s[i..];
    }

    private static bool TryUnit(ReadOnlySpan<char> unit, out ulong nanoseconds)
    {
        nanoseconds = unit switch
        {
            "ns" => Nanosecond,
            "us" or "\u00b5s" or "\u03bcs" => Microsecond,
            "ms" => Millisecond,
            "s" => Second,
            "m" => Minute,
            "h" => Hour,
            _ => 0,
        };
        return nanoseconds != 0;
    }
}
