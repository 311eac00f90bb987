// Port of device/obf_data.go from amneziawg-go at e796d477d89e6851b2bb4871bf75f1e621f94ace:
// newDataObf, dataObf, Obfuscate, Deobfuscate, ObfuscatedLen, DeobfuscatedLen.
namespace AwgProxy.AmneziaWG.Device;

/// <summary>dataObf, the <c>&lt;d&gt;</c> tag: the source bytes as they are. Its argument is ignored.</summary>
internal sealed class DataObf : IObf
{
    private static readonly DataObf s_instance = new();

    public static IObf? NewDataObf(string val, out string? error)
    {
        error = null;
        return s_instance;
    }

    public void Obfuscate(Span<byte> dst, ReadOnlySpan<byte> src, in ObfContext context) => src.CopyTo(dst);

    public bool Deobfuscate(Span<byte> dst, ReadOnlySpan<byte> src)
    {
        // Go's copy(dst, src) copies min(len(dst), len(src)) bytes; the chain gives both the same length.
        var n = Math.Min(dst.Length, src.Length);
        src[..n].CopyTo(dst);
        return true;
    }

    public long ObfuscatedLen(long n) => n;

    public long DeobfuscatedLen(long n) => n;
}
