// Port addition, not an upstream file. amneziawg-go's README at e796d477d89e6851b2bb4871bf75f1e621f94ace
// documents "<c> - packet counter tag. Dumps 4-bytes long amount of packets sent by AWG", but its
// code has no such tag (obf.go's table rejects it as "unknown tag <c>"). This project implements
// it as ../shared/design/envelope.md specifies, shaped like obf_timestamp.go. UPSTREAM.md, deviation D1.
using System.Buffers.Binary;

namespace AwgProxy.AmneziaWG.Device;

/// <summary>
/// counterObf, the <c>&lt;c&gt;</c> tag: 4 bytes, big-endian (the byte order of &lt;t&gt;), the number
/// of datagrams this endpoint has sent on the socket before this one, wrapping at 2^32. The value
/// is <see cref="ObfContext.DatagramsSent"/>: the caller, which owns the socket, supplies it.
/// Its argument is ignored, as &lt;t&gt;'s is.
/// </summary>
internal sealed class CounterObf : IObf
{
    private static readonly CounterObf s_instance = new();

    public static IObf? NewCounterObf(string val, out string? error)
    {
        error = null;
        return s_instance;
    }

    public void Obfuscate(Span<byte> dst, ReadOnlySpan<byte> src, in ObfContext context) =>
        BinaryPrimitives.WriteUInt32BigEndian(dst, context.DatagramsSent);

    /// <summary>A receiver cannot know the sender's count, so any 4 bytes are accepted.</summary>
    public bool Deobfuscate(Span<byte> dst, ReadOnlySpan<byte> src) => true;

    public long ObfuscatedLen(long n) => 4;

    public long DeobfuscatedLen(long n) => 0;
}
