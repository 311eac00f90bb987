// Mirrors the parts of Go's strconv package (src/strconv/atoi.go, src/strconv/quote.go, Go 1.24)
// that amneziawg-go e796d477d89e6851b2bb4871bf75f1e621f94ace relies on: Atoi for tag lengths and
// UAPI integers, ParseUint(s, 10, 32) for header bounds, and Quote for the text of their errors.
// Go strings are bytes; a C# string is taken as its UTF-8 encoding.
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace AwgProxy.AmneziaWG.Stdlib;

internal static class GoStrconv
{
    private const string ErrSyntax = "invalid syntax";
    private const string ErrRange = "value out of range";

    /// <summary>
    /// strconv.Atoi on a 64-bit platform: an optional sign, then ASCII decimal digits (leading zeros
    /// allowed), in [-2^63, 2^63-1]. Digits are read left to right and the first problem wins, so
    /// an overflow is reported before a later bad character.
    /// </summary>
    public static bool TryAtoi(string s, out long value, [NotNullWhen(false)] out string? error)
    {
        value = 0;
        if (s.Length == 0)
        {
            error = NumError("Atoi", s, ErrSyntax);
            return false;
        }

        var negative = false;
        var digits = s.AsSpan();
        if (s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            digits = digits[1..];
            if (digits.IsEmpty)
            {
                error = NumError("Atoi", s, ErrSyntax);
                return false;
            }
        }

        if (!TryAccumulate(digits, ulong.MaxValue, out var magnitude, out var problem))
        {
            error = NumError("Atoi", s, problem);
            return false;
        }

        const ulong cutoff = 1UL << 63;
        if ((!negative && magnitude >= cutoff) || (negative && magnitude > cutoff))
        {
            error = NumError("Atoi", s, ErrRange);
            return false;
        }

        value = negative ? unchecked(-(long)magnitude) : (long)magnitude;
        error = null;
        return true;
    }

    /// <summary>strconv.ParseUint(s, 10, bitSize): ASCII digits only, no sign, no underscores.</summary>
    public static bool TryParseUint(string s, int bitSize, out ulong value, [NotNullWhen(false)] out string? error)
    {
        value = 0;
        if (s.Length == 0)
        {
            error = NumError("ParseUint", s, ErrSyntax);
            return false;
        }

        var maxValue = bitSize >= 64 ? ulong.MaxValue : (1UL << bitSize) - 1;
        if (!TryAccumulate(s, maxValue, out value, out var problem))
        {
            error = NumError("ParseUint", s, problem);
            value = 0;
            return false;
        }

        error = null;
        return true;
    }

    // The loop of strconv.ParseUint for base 10.
    private static bool TryAccumulate(ReadOnlySpan<char> digits, ulong maxValue, out ulong value, out string problem)
    {
        const ulong cutoff = (ulong.MaxValue / 10) + 1;
        ulong n = 0;
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                value = 0;
                problem = ErrSyntax;
                return false;
            }

            if (n >= cutoff)
            {
                value = maxValue;
                problem = ErrRange;
                return false;
            }

            n *= 10;
            var n1 = n + (ulong)(c - '0');
            if (n1 < n || n1 > maxValue)
            {
                value = maxValue;
                problem = ErrRange;
                return false;
            }

            n = n1;
        }

        value = n;
        problem = string.Empty;
        return true;
    }

    // *strconv.NumError's Error(): "strconv." + Func + ": parsing " + Quote(Num) + ": " + Err.
    private static string NumError(string func, string num, string err) =>
        "strconv." + func + ": parsing " + Quote(num) + ": " + err;

    /// <summary>
    /// strconv.Quote: a double-quoted Go string literal. Printable runes (Go's IsPrint) stay as they
    /// are; \a \b \f \n \r \t \v, backslash and double quote get their short escapes; other runes
    /// below U+0020 and U+007F become \xNN, the rest \uNNNN or \UNNNNNNNN (lowercase hex).
    /// </summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (var rune in s.EnumerateRunes())
        {
            var r = rune.Value;
            if (r is '"' or '\\')
            {
                sb.Append('\\').Append((char)r);
                continue;
            }

            if (GoUnicode.IsPrint(rune))
            {
                sb.Append(rune.ToString());
                continue;
            }

            switch (r)
            {
                case '\a': sb.Append(@"\a"); break;
                case '\b': sb.Append(@"\b"); break;
                case '\f': sb.Append(@"\f"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\t': sb.Append(@"\t"); break;
                case '\v': sb.Append(@"\v"); break;
                case < ' ' or 0x7f:
                    sb.Append(@"\x").Append(r.ToString("x2", CultureInfo.InvariantCulture));
                    break;
                case < 0x10000:
                    sb.Append(@"\u").Append(r.ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    sb.Append(@"\U").Append(r.ToString("x8", CultureInfo.InvariantCulture));
                    break;
            }
        }

        sb.Append('"');
        return sb.ToString();
    }
}
