// Port of device/obf_randchars.go from amneziawg-go at e796d477d89e6851b2bb4871bf75f1e621f94ace:
// chars52, newRandCharObf, randCharObf, Obfuscate, Deobfuscate, ObfuscatedLen, DeobfuscatedLen.
// Deviations (UPSTREAM.md): the length must be 0..65527 (D2); Deobfuscate returns false where Go
// would slice past a short input.
using AwgProxy.AmneziaWG.Stdlib;

namespace AwgProxy.AmneziaWG.Device;

/// <summary>randCharObf, the <c>&lt;rc N&gt;</c> tag: N random ASCII letters.</summary>
internal sealed class RandCharObf : IObf
{
    private const string Chars52 = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private readonly int _length;

    private RandCharObf(int length) => _length = length;

    public static IObf? NewRandCharObf(string val, out string? error) =>
        ObfLength.TryParse(val, out var length, out error) ? new RandCharObf(length) : null;

    /// <summary>Each random byte x becomes chars52[x % 52]: no rejection, so the letters are biased.</summary>
    public void Obfuscate(Span<byte> dst, ReadOnlySpan<byte> src, in ObfContext context)
    {
        var letters = dst[.._length];
        context.Random.Read(letters);
        for (var i = 0; i < letters.Length; i++)
        {
            letters[i] = (byte)Chars52[letters[i] % 52];
        }
    }

    /// <summary>
    /// Each byte must be a letter by Go's unicode.IsLetter of the byte as a code point, which also
    /// accepts the Latin-1 letters 0xAA, 0xB5, 0xBA, 0xC0-0xD6, 0xD8-0xF6, 0xF8-0xFF.
    /// </summary>
    public bool Deobfuscate(Span<byte> dst, ReadOnlySpan<byte> src)
    {
        if (src.Length < _length)
        {
            return false;
        }

        foreach (var b in src[.._length])
        {
            if (!GoUnicode.IsLetter(b))
            {
                return false;
            }
        }

        return true;
    }

    public long ObfuscatedLen(long n) => _length;

    public long DeobfuscatedLen(long n) => 0;
}
