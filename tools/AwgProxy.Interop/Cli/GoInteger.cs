namespace AwgProxy.Interop.Cli;

/// <summary>
/// Go's <c>strconv.ParseInt(s, 0, 64)</c> / <c>ParseUint(s, 0, 64)</c>, which the flag package uses for
/// integer flags: base from the prefix (0x hex, 0b binary, 0o or a leading 0 octal, else decimal) and
/// underscores allowed between digits.
/// </summary>
public static class GoInteger
{
    /// <summary>Why a parse failed, in the words Go's flag package prints.</summary>
    public enum ParseError
    {
        None,
        Syntax,
        Range,
    }

    public static ParseError TryParseInt64(string text, out long value)
    {
        value = 0;
        ReadOnlySpan<char> s = text;
        bool negative = false;
        if (!s.IsEmpty && (s[0] == '+' || s[0] == '-'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        ParseError error = TryParseMagnitude(s, out ulong magnitude);
        if (error != ParseError.None)
        {
            return error;
        }

        if (negative)
        {
            if (magnitude > 1UL << 63)
            {
                return ParseError.Range;
            }

            value = magnitude == 1UL << 63 ? long.MinValue : -(long)magnitude;
            return ParseError.None;
        }

        if (magnitude > long.MaxValue)
        {
            return ParseError.Range;
        }

        value = (long)magnitude;
        return ParseError.None;
    }

    public static ParseError TryParseUInt64(string text, out ulong value) => TryParseMagnitude(text, out value);

    private static ParseError TryParseMagnitude(ReadOnlySpan<char> s, out ulong value)
    {
        value = 0;
        if (s.IsEmpty)
        {
            return ParseError.Syntax;
        }

        int radix = 10;
        bool prefixed = false;
        if (s[0] == '0')
        {
            if (s.Length >= 3 && (s[1] | 0x20) == 'x')
            {
                radix = 16;
                s = s[2..];
                prefixed = true;
            }
            else if (s.Length >= 3 && (s[1] | 0x20) == 'b')
            {
                radix = 2;
                s = s[2..];
                prefixed = true;
            }
            else if (s.Length >= 3 && (s[1] | 0x20) == 'o')
            {
                radix = 8;
                s = s[2..];
                prefixed = true;
            }
            else if (s.Length >= 2)
            {
                radix = 8;
                s = s[1..];
                prefixed = true;
            }
        }

        // Go: underscores only between digits, or between the base prefix and a digit.
        bool previousWasDigit = prefixed;
        bool sawDigit = false;
        bool overflow = false;
        foreach (char c in s)
        {
            if (c == '_')
            {
                if (!previousWasDigit)
                {
                    return ParseError.Syntax;
                }

                previousWasDigit = false;
                continue;
            }

            int digit = DigitValue(c);
            if (digit < 0 || digit >= radix)
            {
                return ParseError.Syntax;
            }

            previousWasDigit = true;
            sawDigit = true;
            if (overflow)
            {
                continue;
            }

            UInt128 next = (UInt128)value * (uint)radix + (uint)digit;
            if (next > ulong.MaxValue)
            {
                overflow = true;
                continue;
            }

            value = (ulong)next;
        }

        if (!sawDigit || !previousWasDigit)
        {
            return ParseError.Syntax;
        }

        if (overflow)
        {
            value = 0;
            return ParseError.Range;
        }

        return ParseError.None;
    }

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'z' => c - 'a' + 10,
        >= 'A' and <= 'Z' => c - 'A' + 10,
        _ => -1,
    };
}
