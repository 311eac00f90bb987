// Port of device/obf_bytes.go from amneziawg-go at e796d477d89e6851b2bb4871bf75f1e621f94ace:
// newBytesObf, bytesObf, Obfuscate, Deobfuscate, ObfuscatedLen, DeobfuscatedLen.
// Deviation (UPSTREAM.md): Deobfuscate returns false where Go would slice past a short input.
using AwgProxy.AmneziaWG.Stdlib;

namespace AwgProxy.AmneziaWG.Device;

/// <summary>bytesObf, the <c>&lt;b 0xHEX&gt;</c> tag: static bytes.</summary>
internal sealed class BytesObf : IObf
{
    private readonly byte[] _data;

    private BytesObf(byte[] data) => _data = data;

    /// <summary>
    /// newBytesObf: strips one lowercase "0x" prefix, then rejects, in this order, an empty argument
    /// (<c>empty argument</c>), an odd number of UTF-8 bytes (<c>odd amount of symbols</c>) and a
    /// non-hex byte (<c>encoding/hex: invalid byte: U+XXXX 'c'</c>).
    /// </summary>
    public static IObf? NewBytesObf(string val, out string? error)
    {
        if (val.StartsWith("0x", StringComparison.Ordinal))
        {
            val = val[2..];
        }

        if (val.Length == 0)
        {
            error = "empty argument";
            return null;
        }

        if (System.Text.Encoding.UTF8.GetByteCount(val) % 2 != 0)
        {
            error = "odd amount of symbols";
            return null;
        }

        if (!GoHex.TryDecodeString(val, out var bytes, out error))
        {
            return null;
        }

        return new BytesObf(bytes);
    }

    public void Obfuscate(Span<byte> dst, ReadOnlySpan<byte> src, in ObfContext context) => _data.CopyTo(dst);

    public bool Deobfuscate(Span<byte> dst, ReadOnlySpan<byte> src) =>
        src.Length >= _data.Length && src[.._data.Length].SequenceEqual(_data);

    public long ObfuscatedLen(long srcLen) => _data.Length;

    public long DeobfuscatedLen(long srcLen) => 0;
}
