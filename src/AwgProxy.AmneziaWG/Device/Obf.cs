// Port of device/obf.go from amneziawg-go at e796d477d89e6851b2bb4871bf75f1e621f94ace,
// in upstream's order of declarations: obfBuilder, obfBuilders, obf, obfChain, newObfChain,
// Obfuscate, Deobfuscate, ObfuscatedLen, DeobfuscatedLen.
// Deviations (UPSTREAM.md): the builder table used by default also holds <c> (ObfCounter.cs);
// a chain whose fixed part is longer than the largest UDP payload is rejected; Obfuscate takes an
// ObfContext and returns the length; Deobfuscate returns false where Go panics.
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using AwgProxy.AmneziaWG.Stdlib;

namespace AwgProxy.AmneziaWG.Device;

/// <summary>
/// obfBuilder: makes one tag from its argument (the second field of the tag body, or "" when
/// absent). On failure it returns null and the reason, which the chain reports as
/// <c>failed to build &lt;name&gt;: reason</c>.
/// </summary>
public delegate IObf? ObfBuilder(string val, out string? error);

/// <summary>obfBuilders: tag name → builder.</summary>
public static class ObfBuilders
{
    /// <summary>The table exactly as upstream has it at e796d47: b, t, r, rc, rd, d, ds, dz.</summary>
    public static FrozenDictionary<string, ObfBuilder> Upstream { get; } = new Dictionary<string, ObfBuilder>(StringComparer.Ordinal)
    {
        ["b"] = BytesObf.NewBytesObf,
        ["t"] = TimestampObf.NewTimestampObf,
        ["r"] = RandObf.NewRandObf,
        ["rc"] = RandCharObf.NewRandCharObf,
        ["rd"] = RandDigitObf.NewRandDigitsObf,
        ["d"] = DataObf.NewDataObf,
        ["ds"] = DataStringObf.NewDataStringObf,
        ["dz"] = DataSizeObf.NewDataSizeObf,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The table this project uses: <see cref="Upstream"/> plus <c>c</c>, the packet counter that
    /// upstream's README documents and its code lacks (envelope.md; ObfCounter.cs).
    /// </summary>
    public static FrozenDictionary<string, ObfBuilder> Default { get; } = new Dictionary<string, ObfBuilder>(Upstream, StringComparer.Ordinal)
    {
        ["c"] = CounterObf.NewCounterObf,
    }.ToFrozenDictionary(StringComparer.Ordinal);
}

/// <summary>
/// obf: one tag. Each tag gets exactly its own slice of the output (ObfuscatedLen of the source
/// length) and of the input when deobfuscating.
/// </summary>
public interface IObf
{
    /// <summary>Writes the tag's bytes; <paramref name="dst"/> is exactly ObfuscatedLen(src.Length) long.</summary>
    void Obfuscate(Span<byte> dst, ReadOnlySpan<byte> src, in ObfContext context);

    /// <summary>Checks the tag's bytes in <paramref name="src"/> and recovers data into <paramref name="dst"/>.</summary>
    bool Deobfuscate(Span<byte> dst, ReadOnlySpan<byte> src);

    /// <summary>Bytes the tag writes for a source of <paramref name="srcLen"/> bytes (Go int: 64-bit, wrapping).</summary>
    long ObfuscatedLen(long srcLen);

    /// <summary>Data bytes the tag recovers from <paramref name="srcLen"/> dynamic input bytes.</summary>
    long DeobfuscatedLen(long srcLen);
}

/// <summary>obfChain: a parsed I1..I5 spec, the tags in document order.</summary>
public sealed class ObfChain
{
    private readonly IObf[] _obfs;

    private ObfChain(string spec, IObf[] obfs)
    {
        Spec = spec;
        _obfs = obfs;
    }

    /// <summary>The spec exactly as given (what the device prints back as <c>iN=</c>).</summary>
    public string Spec { get; }

    /// <summary>Parses <paramref name="spec"/> with <see cref="ObfBuilders.Default"/> (upstream's tags plus &lt;c&gt;).</summary>
    public static bool TryParse(string spec, [NotNullWhen(true)] out ObfChain? chain, [NotNullWhen(false)] out string? error) =>
        TryParse(spec, ObfBuilders.Default, out chain, out error);

    /// <summary>
    /// newObfChain. Finds each '&lt;' and the next '&gt;' after it; text outside tags is ignored and
    /// '&lt;' inside a tag is not special. The body is split with strings.Fields: the first field
    /// names the tag (case-sensitive), the second is its argument, further fields are ignored.
    /// Problems are collected in document order and joined with "\n": <c>empty tag</c>,
    /// <c>unknown tag &lt;NAME&gt;</c>, <c>failed to build &lt;NAME&gt;: reason</c>; except that a
    /// '&lt;' without a later '&gt;' ends parsing with just <c>missing enclosing &gt;</c>.
    /// Port addition: when every tag built, a fixed length above <see cref="AwgLimits.MaxUdpPayload"/>
    /// is an error too (each tag's own length is bounded by its builder, so the sum cannot wrap).
    /// </summary>
    public static bool TryParse(
        string spec,
        IReadOnlyDictionary<string, ObfBuilder> builders,
        [NotNullWhen(true)] out ObfChain? chain,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(builders);
        var obfs = new List<IObf>();
        var errs = new List<string>();

        var remaining = spec;
        while (true)
        {
            var start = remaining.IndexOf('<', StringComparison.Ordinal);
            if (start == -1)
            {
                break;
            }

            var end = remaining.IndexOf('>', start);
            if (end == -1)
            {
                chain = null;
                error = "missing enclosing >";
                return false;
            }

            var tag = remaining[(start + 1)..end];
            remaining = remaining[(end + 1)..];
            var parts = GoStrings.Fields(tag);
            if (parts.Count == 0)
            {
                errs.Add("empty tag");
                continue;
            }

            var key = parts[0];
            if (!builders.TryGetValue(key, out var builder))
            {
                errs.Add($"unknown tag <{key}>");
                continue;
            }

            var val = parts.Count > 1 ? parts[1] : string.Empty;
            var o = builder(val, out var buildError);
            if (o is null)
            {
                errs.Add($"failed to build <{key}>: {buildError}");
                continue;
            }

            obfs.Add(o);
        }

        if (errs.Count > 0)
        {
            chain = null;
            error = string.Join('\n', errs);
            return false;
        }

        var candidate = new ObfChain(spec, [.. obfs]);
        var fixedLen = candidate.ObfuscatedLen(0);
        if (fixedLen > AwgLimits.MaxUdpPayload)
        {
            chain = null;
            error = $"packet length {fixedLen} exceeds {AwgLimits.MaxUdpPayload}, the largest UDP payload";
            return false;
        }

        chain = candidate;
        error = null;
        return true;
    }

    /// <summary>Like <see cref="TryParse(string, out ObfChain?, out string?)"/> but throws.</summary>
    /// <exception cref="AwgValidationException">The spec is invalid; the message is the parser's error.</exception>
    public static ObfChain Parse(string spec) =>
        TryParse(spec, out var chain, out var error) ? chain : throw new AwgValidationException(error);

    /// <summary>
    /// Obfuscate: each tag writes ObfuscatedLen(src.Length) bytes into the next slice of
    /// <paramref name="dst"/>. Returns the total, ObfuscatedLen(src.Length). I-packets are built
    /// from an empty source; a non-empty one feeds &lt;d&gt;, &lt;ds&gt; and &lt;dz&gt;.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="dst"/> is shorter than ObfuscatedLen(src.Length).</exception>
    public int Obfuscate(Span<byte> dst, ReadOnlySpan<byte> src, in ObfContext context)
    {
        var total = ObfuscatedLen(src.Length);
        if (total > dst.Length)
        {
            throw new ArgumentException($"The chain writes {total} bytes; the destination holds {dst.Length}.", nameof(dst));
        }

        var written = 0;
        foreach (var o in _obfs)
        {
            var obfLen = (int)o.ObfuscatedLen(src.Length);
            o.Obfuscate(dst.Slice(written, obfLen), src, context);
            written += obfLen;
        }

        return written;
    }

    /// <summary>
    /// Deobfuscate (upstream never calls it at e796d47). The dynamic length is the input length
    /// minus ObfuscatedLen(0), and every &lt;d&gt;/&lt;ds&gt; tag is given all of it. Each tag checks
    /// its slice of <paramref name="src"/> and writes its slice of <paramref name="dst"/>.
    /// Where Go would slice out of range and panic (input shorter than the fixed part, two dynamic
    /// tags, a <paramref name="dst"/> too short) this returns false instead.
    /// </summary>
    public bool Deobfuscate(Span<byte> dst, ReadOnlySpan<byte> src)
    {
        var dynamicLen = src.Length - ObfuscatedLen(0);

        long written = 0, read = 0;
        foreach (var o in _obfs)
        {
            var deobfLen = o.DeobfuscatedLen(dynamicLen);
            var obfLen = o.ObfuscatedLen(deobfLen);
            if (deobfLen < 0 || written + deobfLen > dst.Length || obfLen < 0 || read + obfLen > src.Length)
            {
                return false;
            }

            if (!o.Deobfuscate(dst.Slice((int)written, (int)deobfLen), src.Slice((int)read, (int)obfLen)))
            {
                return false;
            }

            written += deobfLen;
            read += obfLen;
        }

        return true;
    }

    /// <summary>ObfuscatedLen: the sum over the tags (wrapping like Go's int).</summary>
    public long ObfuscatedLen(long n)
    {
        long total = 0;
        foreach (var o in _obfs)
        {
            total = unchecked(total + o.ObfuscatedLen(n));
        }

        return total;
    }

    /// <summary>DeobfuscatedLen: the sum over the tags of DeobfuscatedLen(n - ObfuscatedLen(0)).</summary>
    public long DeobfuscatedLen(long n)
    {
        var dynamicLen = unchecked(n - ObfuscatedLen(0));

        long total = 0;
        foreach (var o in _obfs)
        {
            total = unchecked(total + o.DeobfuscatedLen(dynamicLen));
        }

        return total;
    }
}
