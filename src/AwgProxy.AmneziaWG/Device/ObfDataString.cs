// Port of device/obf_datastring.go from amneziawg-go at e796d477d89e6851b2bb4871bf75f1e621f94ace:
// newDataStringObf, dataStringObf, Obfuscate, Deobfuscate, ObfuscatedLen, DeobfuscatedLen.
using AwgProxy.AmneziaWG.Stdlib;

namespace AwgProxy.AmneziaWG.Device;

/// <summary>
/// dataStringObf, the <c>&lt;ds&gt;</c> tag: the source as unpadded standard base64 (+ and /).
/// Its argument is ignored.
/// </summary>
internal sealed class DataStringObf : IObf
{
    private static readonly DataStringObf s_instance = new();

    public static IObf? NewDataStringObf(string val, out string? error)
    {
        error = null;
        return s_instance;
    }

    public void Obfuscate(Span<byte> dst, ReadOnlySpan<byte> src, in ObfContext context) => GoBase64.Encode(dst, src);

    /// <summary>Decode errors are ignored, as upstream does: the result is true whatever the input.</summary>
    public bool Deobfuscate(Span<byte> dst, ReadOnlySpan<byte> src)
    {
        GoBase64.Decode(dst, src);
        return true;
    }

    public long ObfuscatedLen(long n) => GoBase64.EncodedLen(n);

    public long DeobfuscatedLen(long n) => GoBase64.DecodedLen(n);
}
