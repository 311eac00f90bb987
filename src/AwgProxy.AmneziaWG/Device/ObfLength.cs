// Port addition, not an upstream file: the length check that the port adds to the builders of
// <r>, <rc>, <rd> and <dz> (obf_rand.go, obf_randchars.go, obf_randdigits.go, obf_datasize.go at
// amneziawg-go e796d477d89e6851b2bb4871bf75f1e621f94ace accept any int). UPSTREAM.md, deviation D2.
using System.Diagnostics.CodeAnalysis;
using AwgProxy.AmneziaWG.Stdlib;

namespace AwgProxy.AmneziaWG.Device;

internal static class ObfLength
{
    /// <summary>
    /// strconv.Atoi as upstream's builders call it, then the port's bounds: upstream accepts a
    /// negative length (building the packet then panics on every handshake) and any length up to
    /// 2^63-1 (lengths that add up past int64 wrap; large ones exhaust memory). The port requires
    /// 0 &lt;= length &lt;= <see cref="AwgLimits.MaxUdpPayload"/>.
    /// </summary>
    public static bool TryParse(string val, out int length, [NotNullWhen(false)] out string? error)
    {
        length = 0;
        if (!GoStrconv.TryAtoi(val, out var parsed, out error))
        {
            return false;
        }

        if (parsed < 0)
        {
            error = $"length {parsed} is negative";
            return false;
        }

        if (parsed > AwgLimits.MaxUdpPayload)
        {
            error = $"length {parsed} exceeds {AwgLimits.MaxUdpPayload}, the largest UDP payload";
            return false;
        }

        length = (int)parsed;
        return true;
    }
}
