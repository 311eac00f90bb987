// Mirrors the predicates of Go's unicode package (src/unicode/graphic.go, src/unicode/letter.go,
// src/unicode/digit.go) and strconv.IsPrint that amneziawg-go e796d477d89e6851b2bb4871bf75f1e621f94ace
// relies on: IsSpace (strings.Fields), IsLetter and IsDigit on a byte widened to a rune (the rc and
// rd tags' Deobfuscate), IsPrint (strconv.Quote, the %#U verb). Written out as tables so the answer
// does not depend on the Unicode version of the .NET runtime where Go's tables are explicit.
using System.Globalization;
using System.Text;

namespace AwgProxy.AmneziaWG.Stdlib;

internal static class GoUnicode
{
    /// <summary>
    /// unicode.IsSpace: '\t', '\n', '\v', '\f', '\r', ' ', U+0085, U+00A0 and the other White_Space
    /// code points U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000. Not U+200B, not U+180E.
    /// </summary>
    public static bool IsSpace(char c) => c switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u0085' or '\u00A0' => true,
        '\u1680' or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' => true,
        >= '\u2000' and <= '\u200A' => true,
        _ => false,
    };

    /// <summary>
    /// unicode.IsLetter(rune(b)) for a byte: ASCII letters and the Latin-1 letters U+00AA, U+00B5,
    /// U+00BA, U+00C0-U+00D6, U+00D8-U+00F6, U+00F8-U+00FF (not U+00D7 × or U+00F7 ÷).
    /// </summary>
    public static bool IsLetter(byte b) => b switch
    {
        >= (byte)'A' and <= (byte)'Z' => true,
        >= (byte)'a' and <= (byte)'z' => true,
        0xAA or 0xB5 or 0xBA => true,
        >= 0xC0 and <= 0xFF => b is not (0xD7 or 0xF7),
        _ => false,
    };

    /// <summary>unicode.IsDigit(rune(b)) for a byte: only ASCII '0'-'9' (Latin-1 has no other decimal digit).</summary>
    public static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    /// <summary>
    /// strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. For Latin-1
    /// that is U+0020-U+007E and U+00A1-U+00FF except U+00AD.
    /// </summary>
    public static bool IsPrint(Rune rune)
    {
        var r = rune.Value;
        if (r <= 0xFF)
        {
            return r is (>= 0x20 and <= 0x7E) or (>= 0xA1 and <= 0xFF and not 0xAD);
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
            UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation => true,
            UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
                or UnicodeCategory.OtherSymbol => true,
            _ => false,
        };
    }
}
