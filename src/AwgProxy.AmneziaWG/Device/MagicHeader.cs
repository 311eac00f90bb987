// Port of device/magic-header.go from amneziawg-go at e796d477d89e6851b2bb4871bf75f1e621f94ace:
// magicHeader, newMagicHeader, GenSpec, Validate, Generate.
// Deviations (UPSTREAM.md): the full range 0-4294967295 is rejected by the parser (upstream
// accepts it and Generate() panics); Generate takes the random source as an argument.
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using AwgProxy.AmneziaWG.Stdlib;

namespace AwgProxy.AmneziaWG.Device;

/// <summary>
/// magicHeader: an inclusive range [Start, End] of values for the 4-byte little-endian type field
/// of one message class (H1..H4). Immutable.
/// </summary>
public sealed class MagicHeader
{
    internal MagicHeader(uint start, uint end)
    {
        Start = start;
        End = end;
    }

    /// <summary>Lowest value of the range.</summary>
    public uint Start { get; }

    /// <summary>Highest value of the range (inclusive).</summary>
    public uint End { get; }

    /// <summary>
    /// newMagicHeader: "x" or "x-y". The text is split on every '-' (three or more parts:
    /// <c>bad format</c>); each part is strconv.ParseUint(part, 10, 32): no sign, no spaces,
    /// leading zeros allowed (<c>failed to parse PART: strconv.ParseUint: ...</c>); y &lt; x is
    /// <c>wrong range specified</c>. Port addition: 0-4294967295, whose width 2^32 does not fit the
    /// uint32 that Generate() computes, is rejected.
    /// </summary>
    public static bool TryParse(string spec, [NotNullWhen(true)] out MagicHeader? header, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(spec);
        header = null;
        var parts = spec.Split('-');
        if (parts.Length is < 1 or > 2)
        {
            error = "bad format";
            return false;
        }

        if (!GoStrconv.TryParseUint(parts[0], 32, out var start, out var parseError))
        {
            error = $"failed to parse {parts[0]}: {parseError}";
            return false;
        }

        ulong end;
        if (parts.Length > 1)
        {
            if (!GoStrconv.TryParseUint(parts[1], 32, out end, out parseError))
            {
                error = $"failed to parse {parts[1]}: {parseError}";
                return false;
            }
        }
        else
        {
            end = start;
        }

        if (end < start)
        {
            error = "wrong range specified";
            return false;
        }

        if (start == uint.MinValue && end == uint.MaxValue)
        {
            error = $"range {start}-{end} is too wide: its width 4294967296 does not fit in uint32";
            return false;
        }

        header = new MagicHeader((uint)start, (uint)end);
        error = null;
        return true;
    }

    /// <summary>Like <see cref="TryParse"/> but throws.</summary>
    /// <exception cref="AwgValidationException">The spec is invalid; the message is the parser's error.</exception>
    public static MagicHeader Parse(string spec) =>
        TryParse(spec, out var header, out var error) ? header : throw new AwgValidationException(error);

    /// <summary>GenSpec: "a" when the range is one value, else "a-b", in canonical decimal.</summary>
    public string GenSpec() => Start == End
        ? Start.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Start}-{End}");

    /// <summary>Validate: <c>Start &lt;= val &lt;= End</c>.</summary>
    public bool Validate(uint val) => Start <= val && val <= End;

    /// <summary>
    /// Generate: <c>Start + rand.Int(uint32(End - Start + 1))</c>. A single-value range reads no
    /// random bytes (rand.Int(1) returns 0 without reading).
    /// </summary>
    public uint Generate(IRandomSource random)
    {
        var high = (long)unchecked(End - Start + 1);
        var r = GoCryptoRand.Int(random, high);
        return unchecked(Start + (uint)r);
    }

    /// <inheritdoc/>
    public override string ToString() => GenSpec();
}
