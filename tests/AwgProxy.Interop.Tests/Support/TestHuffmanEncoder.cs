using AwgProxy.Interop.Http3.Qpack;

namespace AwgProxy.Interop.Tests.Support;

/// <summary>
/// A Huffman encoder (RFC 7541 section 5.2) for building test inputs the way nghttp3 does: codes
/// concatenated MSB first, the last octet padded with the leading bits of EOS (ones).
/// </summary>
internal static class TestHuffmanEncoder
{
    public static byte[] Encode(ReadOnlySpan<byte> text)
    {
        var output = new List<byte>();
        ulong accumulator = 0;
        int bits = 0;
        foreach (byte symbol in text)
        {
            HuffmanCode.Code code = HuffmanCode.Get(symbol);
            accumulator = (accumulator << code.Length) | code.Bits;
            bits += code.Length;
            while (bits >= 8)
            {
                bits -= 8;
                output.Add((byte)(accumulator >> bits));
            }
        }

        if (bits > 0)
        {
            output.Add((byte)((accumulator << (8 - bits)) | (0xFFu >> bits)));
        }

        return [.. output];
    }

    public static byte[] Encode(string text) => Encode(System.Text.Encoding.ASCII.GetBytes(text));
}
