// Port of device/obf_timestamp.go from amneziawg-go at e796d477d89e6851b2bb4871bf75f1e621f94ace:
// newTimestampObf, timestampObf, Obfuscate, Deobfuscate, ObfuscatedLen, DeobfuscatedLen.
// Deviation (UPSTREAM.md): the clock is the injected TimeProvider instead of time.Now.
using System.Buffers.Binary;

namespace AwgProxy.AmneziaWG.Device;

/// <summary>timestampObf, the <c>&lt;t&gt;</c> tag: 4 bytes of Unix time. Its argument is ignored.</summary>
internal sealed class TimestampObf : IObf
{
    private static readonly TimestampObf s_instance = new();

    public static IObf? NewTimestampObf(string val, out string? error)
    {
        error = null;
        return s_instance;
    }

    /// <summary><c>uint32(time.Now().Unix())</c> big-endian: Unix seconds (floored) reduced mod 2^32.</summary>
    public void Obfuscate(Span<byte> dst, ReadOnlySpan<byte> src, in ObfContext context)
    {
        var t = unchecked((uint)context.Time.GetUtcNow().ToUnixTimeSeconds());
        BinaryPrimitives.WriteUInt32BigEndian(dst, t);
    }

    /// <summary>Not checked (upstream notes it would need synchronised clocks).</summary>
    public bool Deobfuscate(Span<byte> dst, ReadOnlySpan<byte> src) => true;

    public long ObfuscatedLen(long n) => 4;

    public long DeobfuscatedLen(long n) => 0;
}
