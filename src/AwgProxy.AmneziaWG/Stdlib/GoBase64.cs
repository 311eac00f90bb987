// Mirrors base64.RawStdEncoding from Go's src/encoding/base64/base64.go (Go 1.24, the version
// amneziawg-go's go.mod asks for), used by the <ds> tag of amneziawg-go
// e796d477d89e6851b2bb4871bf75f1e621f94ace: standard alphabet (+ and /), no padding.
// Decode keeps Go's exact partial-write behaviour on corrupt input (the <ds> tag ignores the error).
using System.Buffers.Binary;

namespace AwgProxy.AmneziaWG.Stdlib;

internal static class GoBase64
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private const byte Invalid = 0xFF;

    private static readonly byte[] s_decodeMap = BuildDecodeMap();

    /// <summary>RawStdEncoding.EncodedLen: <c>n/3*4 + (n%3*8+5)/6</c> (Go's truncating division).</summary>
    public static long EncodedLen(long n) => (n / 3 * 4) + (((n % 3 * 8) + 5) / 6);

    /// <summary>RawStdEncoding.DecodedLen: <c>n/4*3 + n%4*6/8</c> (negative for negative n).</summary>
    public static long DecodedLen(long n) => (n / 4 * 3) + (n % 4 * 6 / 8);

    /// <summary>RawStdEncoding.Encode: writes exactly EncodedLen(src.Length) bytes.</summary>
    public static void Encode(Span<byte> dst, ReadOnlySpan<byte> src)
    {
        int si = 0, di = 0;
        var whole = src.Length / 3 * 3;
        while (si < whole)
        {
            var val = (src[si] << 16) | (src[si + 1] << 8) | src[si + 2];
            dst[di] = (byte)Alphabet[(val >> 18) & 0x3F];
            dst[di + 1] = (byte)Alphabet[(val >> 12) & 0x3F];
            dst[di + 2] = (byte)Alphabet[(val >> 6) & 0x3F];
            dst[di + 3] = (byte)Alphabet[val & 0x3F];
            si += 3;
            di += 4;
        }

        var remain = src.Length - si;
        if (remain == 0)
        {
            return;
        }

        var rest = src[si] << 16;
        if (remain == 2)
        {
            rest |= src[si + 1] << 8;
        }

        dst[di] = (byte)Alphabet[(rest >> 18) & 0x3F];
        dst[di + 1] = (byte)Alphabet[(rest >> 12) & 0x3F];
        if (remain == 2)
        {
            dst[di + 2] = (byte)Alphabet[(rest >> 6) & 0x3F];
        }
    }

    /// <summary>
    /// RawStdEncoding.Decode: returns the number of bytes written and whether the input was valid.
    /// Like Go it decodes 8 then 4 characters at a time while there is room (the wide steps also
    /// write 2 or 1 trailing zero bytes that later steps overwrite), skips '\r' and '\n', and stops
    /// at the first corrupt quantum with what it wrote so far. Where Go would index past
    /// <paramref name="dst"/> this stops instead (unreachable from the &lt;ds&gt; tag).
    /// </summary>
    public static (int Written, bool Ok) Decode(Span<byte> dst, ReadOnlySpan<byte> src)
    {
        if (src.IsEmpty)
        {
            return (0, true);
        }

        int si = 0, n = 0;
        while (src.Length - si >= 8 && dst.Length - n >= 8)
        {
            if (TryAssemble(src.Slice(si, 8), out var dn))
            {
                BinaryPrimitives.WriteUInt64BigEndian(dst[n..], dn << 16);
                n += 6;
                si += 8;
            }
            else
            {
                var (nsi, ninc, ok) = DecodeQuantum(dst[n..], src, si);
                si = nsi;
                n += ninc;
                if (!ok)
                {
                    return (n, false);
                }
            }
        }

        while (src.Length - si >= 4 && dst.Length - n >= 4)
        {
            if (TryAssemble(src.Slice(si, 4), out var dn))
            {
                BinaryPrimitives.WriteUInt32BigEndian(dst[n..], (uint)(dn << 8));
                n += 3;
                si += 4;
            }
            else
            {
                var (nsi, ninc, ok) = DecodeQuantum(dst[n..], src, si);
                si = nsi;
                n += ninc;
                if (!ok)
                {
                    return (n, false);
                }
            }
        }

        while (si < src.Length)
        {
            var (nsi, ninc, ok) = DecodeQuantum(dst[n..], src, si);
            si = nsi;
            n += ninc;
            if (!ok)
            {
                return (n, false);
            }
        }

        return (n, true);
    }

    // assemble64/assemble32: the 6-bit values of 8 or 4 characters packed big-endian, if all are valid.
    private static bool TryAssemble(ReadOnlySpan<byte> chars, out ulong value)
    {
        value = 0;
        foreach (var c in chars)
        {
            var d = s_decodeMap[c];
            if (d == Invalid)
            {
                return false;
            }

            value = (value << 6) | d;
        }

        return true;
    }

    // decodeQuantum without padding: up to 4 characters (skipping '\r' and '\n') into up to 3 bytes.
    private static (int Si, int Written, bool Ok) DecodeQuantum(Span<byte> dst, ReadOnlySpan<byte> src, int si)
    {
        Span<byte> dbuf = stackalloc byte[4];
        dbuf.Clear();
        var dlen = 4;
        for (var j = 0; j < 4; j++)
        {
            if (src.Length == si)
            {
                if (j == 0)
                {
                    return (si, 0, true);
                }

                if (j == 1)
                {
                    return (si, 0, false);
                }

                dlen = j;
                break;
            }

            var input = src[si];
            si++;
            var value = s_decodeMap[input];
            if (value != Invalid)
            {
                dbuf[j] = value;
                continue;
            }

            if (input is (byte)'\n' or (byte)'\r')
            {
                j--;
                continue;
            }

            return (si, 0, false);
        }

        var val = (dbuf[0] << 18) | (dbuf[1] << 12) | (dbuf[2] << 6) | dbuf[3];
        if (dst.Length < dlen - 1)
        {
            return (si, 0, false);
        }

        switch (dlen)
        {
            case 4:
                dst[2] = (byte)val;
                dst[1] = (byte)(val >> 8);
                dst[0] = (byte)(val >> 16);
                break;
            case 3:
                dst[1] = (byte)(val >> 8);
                dst[0] = (byte)(val >> 16);
                break;
            default:
                dst[0] = (byte)(val >> 16);
                break;
        }

        return (si, dlen - 1, true);
    }

    private static byte[] BuildDecodeMap()
    {
        var map = new byte[256];
        Array.Fill(map, Invalid);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            map[Alphabet[i]] = (byte)i;
        }

        return map;
    }
}
