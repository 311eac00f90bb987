// Port of device/obf_rand.go from amneziawg-go at e796d477d89e6851b2bb4871bf75f1e621f94ace:
// newRandObf, randObf, Obfuscate, Deobfuscate, ObfuscatedLen, DeobfuscatedLen.
// Deviation (UPSTREAM.md D2): the length must be 0..65527 (upstream accepts any int).
namespace AwgProxy.AmneziaWG.Device;

/// <summary>randObf, the <c>&lt;r N&gt;</c> tag: N random bytes.</summary>
internal sealed class RandObf : IObf
{
    private readonly int _length;

    private RandObf(int length) => _length = length;

    public static IObf? NewRandObf(string val, out string? error) =>
        ObfLength.TryParse(val, out var length, out error) ? new RandObf(length) : null;

    public void Obfuscate(Span<byte> dst, ReadOnlySpan<byte> src, in ObfContext context) =>
        context.Random.Read(dst[.._length]);

    /// <summary>Randomness cannot be checked, so any bytes are accepted.</summary>
    public bool Deobfuscate(Span<byte> dst, ReadOnlySpan<byte> src) => true;

    public long ObfuscatedLen(long n) => _length;

    public long DeobfuscatedLen(long n) => 0;
}
