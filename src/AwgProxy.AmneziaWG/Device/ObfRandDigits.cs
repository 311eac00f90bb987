// Port of device/obf_randdigits.go from amneziawg-go at e796d477d89e6851b2bb4871bf75f1e621f94ace:
// digits10, newRandDigitsObf, randDigitObf, Obfuscate, Deobfuscate, ObfuscatedLen, DeobfuscatedLen.
// Deviations (UPSTREAM.md): the length must be 0..65527 (D2); Deobfuscate returns false where Go
// would slice past a short input.
using AwgProxy.AmneziaWG.Stdlib;

namespace AwgProxy.AmneziaWG.Device;

/// <summary>randDigitObf, the <c>&lt;rd N&gt;</c> tag: N random ASCII digits.</summary>
internal sealed class RandDigitObf : IObf
{
    private const string Digits10 = "0123456789";

    private readonly int _length;

    private RandDigitObf(int length) => _length = length;

    public static IObf? NewRandDigitsObf(string val, out string? error) =>
        ObfLength.TryParse(val, out var length, out error) ? new RandDigitObf(length) : null;

    /// <summary>Each random byte x becomes digits10[x % 10] (biased, like upstream).</summary>
    public void Obfuscate(Span<byte> dst, ReadOnlySpan<byte> src, in ObfContext context)
    {
        var digits = dst[.._length];
        context.Random.Read(digits);
        for (var i = 0; i < digits.Length; i++)
        {
            digits[i] = (byte)Digits10[digits[i] % 10];
        }
    }

    /// <summary>Each byte must be ASCII '0'-'9' (Go's unicode.IsDigit of a byte).</summary>
    public bool Deobfuscate(Span<byte> dst, ReadOnlySpan<byte> src)
    {
        if (src.Length < _length)
        {
            return false;
        }

        foreach (var b in src[.._length])
        {
            if (!GoUnicode.IsDigit(b))
            {
                return false;
            }
        }

        return true;
    }

    public long ObfuscatedLen(long n) => _length;

    public long DeobfuscatedLen(long n) => 0;
}
