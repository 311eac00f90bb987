// Mirrors hex.DecodeString from Go's src/encoding/hex/hex.go (Go 1.24), used by amneziawg-go
// e796d477d89e6851b2bb4871bf75f1e621f94ace for the argument of the <b> tag.
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace AwgProxy.AmneziaWG.Stdlib;

internal static class GoHex
{
    /// <summary>
    /// hex.DecodeString over the UTF-8 bytes of <paramref name="s"/>: pairs of hex digits of either
    /// case. The first byte that is not a hex digit is reported as InvalidByteError, which formats
    /// the byte as a code point with %#U: <c>encoding/hex: invalid byte: U+00C3 'Ã'</c>.
    /// </summary>
    public static bool TryDecodeString(string s, [NotNullWhen(true)] out byte[]? bytes, [NotNullWhen(false)] out string? error)
    {
        var src = Encoding.UTF8.GetBytes(s);
        var dst = new byte[src.Length / 2];
        int i = 0, j = 1;
        for (; j < src.Length; j += 2)
        {
            var a = FromHexChar(src[j - 1]);
            var b = FromHexChar(src[j]);
            if (a < 0)
            {
                return Fail(src[j - 1], out bytes, out error);
            }

            if (b < 0)
            {
                return Fail(src[j], out bytes, out error);
            }

            dst[i++] = (byte)((a << 4) | b);
        }

        if (src.Length % 2 == 1)
        {
            if (FromHexChar(src[j - 1]) < 0)
            {
                return Fail(src[j - 1], out bytes, out error);
            }

            bytes = null;
            error = "encoding/hex: odd length hex string";
            return false;
        }

        bytes = dst;
        error = null;
        return true;
    }

    private static bool Fail(byte invalid, out byte[]? bytes, out string error)
    {
        bytes = null;
        error = "encoding/hex: invalid byte: " + FormatSharpU(invalid);
        return false;
    }

    // fmt's %#U for a rune below U+0100: U+%04X, then the character in single quotes if printable.
    private static string FormatSharpU(byte b)
    {
        var text = "U+" + b.ToString("X4", CultureInfo.InvariantCulture);
        var rune = new Rune(b);
        return GoUnicode.IsPrint(rune) ? text + " '" + rune.ToString() + "'" : text;
    }

    private static int FromHexChar(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}
