// Port of device/obf_datasize.go from amneziawg-go at e796d477d89e6851b2bb4871bf75f1e621f94ace:
// newDataSizeObf, dataSizeObf, Obfuscate, Deobfuscate, ObfuscatedLen, DeobfuscatedLen.
// Deviation (UPSTREAM.md D2): the length must be 0..65527 (upstream accepts any int).
namespace AwgProxy.AmneziaWG.Device;

/// <summary>dataSizeObf, the <c>&lt;dz N&gt;</c> tag: the source length, big-endian, in exactly N bytes.</summary>
internal sealed class DataSizeObf : IObf
{
    private readonly int _length;

    private DataSizeObf(int length) => _length = length;

    public static IObf? NewDataSizeObf(string val, out string? error) =>
        ObfLength.TryParse(val, out var length, out error) ? new DataSizeObf(length) : null;

    /// <summary>High bytes that do not fit are dropped; beyond 8 bytes the field is zero-padded.</summary>
    public void Obfuscate(Span<byte> dst, ReadOnlySpan<byte> src, in ObfContext context)
    {
        long srcLen = src.Length;
        for (var i = _length - 1; i >= 0; i--)
        {
            dst[i] = (byte)(srcLen & 0xFF);
            srcLen >>= 8;
        }
    }

    /// <summary>The size field is never checked.</summary>
    public bool Deobfuscate(Span<byte> dst, ReadOnlySpan<byte> src) => true;

    public long ObfuscatedLen(long srcLen) => _length;

    public long DeobfuscatedLen(long srcLen) => 0;
}
