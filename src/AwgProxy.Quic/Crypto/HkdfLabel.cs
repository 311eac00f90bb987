using System.Security.Cryptography;
using System.Text;

namespace AwgProxy.Quic.Crypto;

/// <summary>
/// RFC 8446 section 7.1, HKDF-Expand-Label:
/// <code>
/// HKDF-Expand-Label(Secret, Label, Context, Length) =
///      HKDF-Expand(Secret, HkdfLabel, Length)
///
/// struct {
///     uint16 length = Length;
///     opaque label&lt;7..255&gt; = "tls13 " + Label;
///     opaque context&lt;0..255&gt; = Context;
/// } HkdfLabel;
/// </code>
/// </summary>
public static class HkdfLabel
{
    private static ReadOnlySpan<byte> Prefix => "tls13 "u8;

    /// <summary>HKDF-Expand-Label into <paramref name="output"/>, whose length is the Length argument.</summary>
    public static void Expand(HashAlgorithmName hash, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> label, ReadOnlySpan<byte> context, Span<byte> output)
    {
        int labelLength = Prefix.Length + label.Length;
        if (labelLength > 255) throw new ArgumentException("Label too long.", nameof(label));
        if (context.Length > 255) throw new ArgumentException("Context too long.", nameof(context));
        if (output.Length > ushort.MaxValue) throw new ArgumentException("Output too long.", nameof(output));

        Span<byte> info = stackalloc byte[2 + 1 + 255 + 1 + 255];
        int n = 0;
        info[n++] = (byte)(output.Length >> 8);
        info[n++] = (byte)output.Length;
        info[n++] = (byte)labelLength;
        Prefix.CopyTo(info[n..]);
        n += Prefix.Length;
        label.CopyTo(info[n..]);
        n += label.Length;
        info[n++] = (byte)context.Length;
        context.CopyTo(info[n..]);
        n += context.Length;

        HKDF.Expand(hash, secret, output, info[..n]);
    }

    /// <summary>Convenience overload with an ASCII label; allocates the result.</summary>
    public static byte[] Expand(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> context, int length)
    {
        byte[] output = new byte[length];
        Expand(hash, secret, Encoding.ASCII.GetBytes(label), context, output);
        return output;
    }
}
