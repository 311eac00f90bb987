using System.Numerics;
using System.Text;
using AwgProxy.Interop.Http3.Qpack;
using AwgProxy.Interop.Tests.Support;

namespace AwgProxy.Interop.Tests.Http3.Qpack;

public class HuffmanTests
{
    [Fact]
    public void CodeTable_IsACompletePrefixCode()
    {
        // Kraft: a complete prefix code has sum(2^-length) == 1; with lengths up to 30 this is exact in 2^30 units.
        BigInteger sum = 0;
        for (int symbol = 0; symbol < HuffmanCode.SymbolCount; symbol++)
        {
            HuffmanCode.Code code = HuffmanCode.Get(symbol);
            Assert.InRange(code.Length, 5, 30);
            Assert.True(code.Bits < 1u << code.Length, $"symbol {symbol} has bits beyond its length");
            sum += BigInteger.One << (30 - code.Length);
        }

        Assert.Equal(BigInteger.One << 30, sum);
    }

    [Theory]
    [InlineData(0, "1111111111000")]
    [InlineData(10, "111111111111111111111111111100")]
    [InlineData(32, "010100")]
    [InlineData(47, "011000")]
    [InlineData(48, "00000")]
    [InlineData(97, "00011")]
    [InlineData(101, "00101")]
    [InlineData(127, "1111111111111111111111111100")]
    [InlineData(200, "11111111111111111111100010")]
    [InlineData(255, "11111111111111111111101110")]
    [InlineData(256, "111111111111111111111111111111")]
    public void Code_MatchesRfc7541BitColumn(int symbol, string bits)
    {
        HuffmanCode.Code code = HuffmanCode.Get(symbol);
        Assert.Equal(bits.Length, code.Length);
        Assert.Equal(Convert.ToUInt32(bits, 2), code.Bits);
    }

    [Theory]
    // RFC 7541 C.4.1-C.4.3 (requests with Huffman coding)
    [InlineData("f1e3c2e5f23a6ba0ab90f4ff", "www.example.com")]
    [InlineData("a8eb10649cbf", "no-cache")]
    [InlineData("25a849e95ba97d7f", "custom-key")]
    [InlineData("25a849e95bb8e8b4bf", "custom-value")]
    // RFC 7541 C.6.1-C.6.3 (responses with Huffman coding)
    [InlineData("6402", "302")]
    [InlineData("aec3771a4b", "private")]
    [InlineData("d07abe941054d444a8200595040b8166e082a62d1bff", "Mon, 21 Oct 2013 20:13:21 GMT")]
    [InlineData("9d29ad171863c78f0b97c8e9ae82ae43d3", "https://www.example.com")]
    [InlineData("640eff", "307")]
    [InlineData("d07abe941054d444a8200595040b8166e084a62d1bff", "Mon, 21 Oct 2013 20:13:22 GMT")]
    [InlineData("9bd9ab", "gzip")]
    [InlineData("94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1")]
    public void Decode_Rfc7541Examples(string hex, string text)
    {
        byte[] encoded = Convert.FromHexString(hex);
        byte[] output = new byte[HuffmanDecoder.MaxDecodedLength(encoded.Length)];
        Assert.Equal(HuffmanDecodeStatus.Done, HuffmanDecoder.TryDecode(encoded, output, out int written));
        Assert.Equal(text, Encoding.ASCII.GetString(output, 0, written));
        Assert.Equal(encoded, TestHuffmanEncoder.Encode(text));
    }

    [Fact]
    public void Decode_EmptyInputIsEmptyString()
    {
        Assert.Equal(HuffmanDecodeStatus.Done, HuffmanDecoder.TryDecode([], [], out int written));
        Assert.Equal(0, written);
    }

    [Theory]
    [InlineData("1f", "a")] // 00011 + 111 padding
    [InlineData("1c", null)] // 00011 + 100: padding not all ones
    [InlineData("18", null)] // 00011 + 000
    [InlineData("1fff", null)] // 00011 + 11 bits of ones: padding longer than 7 bits
    [InlineData("ff", null)] // 8 one bits, no symbol: padding too long
    [InlineData("fe", null)] // 11111110: 8 bits, not padding
    public void Padding_MustBeAtMostSevenOneBits(string hex, string? expected)
    {
        byte[] output = new byte[8];
        HuffmanDecodeStatus status = HuffmanDecoder.TryDecode(Convert.FromHexString(hex), output, out int written);
        if (expected is null)
        {
            Assert.True(status is HuffmanDecodeStatus.PaddingTooLong or HuffmanDecodeStatus.PaddingNotEndOfString, status.ToString());
            Assert.Equal(0, written);
        }
        else
        {
            Assert.Equal(HuffmanDecodeStatus.Done, status);
            Assert.Equal(expected, Encoding.ASCII.GetString(output, 0, written));
        }
    }

    [Fact]
    public void Padding_NotAllOnesIsReportedAsSuch()
    {
        Assert.Equal(HuffmanDecodeStatus.PaddingNotEndOfString, HuffmanDecoder.TryDecode([0x1C], new byte[4], out _));
        Assert.Equal(HuffmanDecodeStatus.PaddingTooLong, HuffmanDecoder.TryDecode([0x1F, 0xFF], new byte[4], out _));
    }

    [Fact]
    public void EndOfStringSymbol_InTheInputIsAnError()
    {
        // 30 one bits (EOS) followed by 2 bits of one padding.
        Assert.Equal(HuffmanDecodeStatus.EndOfStringSymbol, HuffmanDecoder.TryDecode([0xFF, 0xFF, 0xFF, 0xFF], new byte[8], out _));

        // 'a' then EOS then padding: 00011 + 30 ones + 5 ones.
        Assert.Equal(HuffmanDecodeStatus.EndOfStringSymbol, HuffmanDecoder.TryDecode([0x1F, 0xFF, 0xFF, 0xFF, 0xFF], new byte[8], out _));
    }

    [Fact]
    public void Decode_IntoTooSmallDestinationFails()
    {
        byte[] encoded = TestHuffmanEncoder.Encode("www.example.com");
        Assert.Equal(HuffmanDecodeStatus.DestinationTooSmall, HuffmanDecoder.TryDecode(encoded, new byte[14], out _));
    }

    [Fact]
    public void RandomOctetStrings_RoundTrip()
    {
        var random = new Random(7541);
        for (int i = 0; i < 500; i++)
        {
            byte[] text = new byte[random.Next(0, 64)];
            random.NextBytes(text);
            byte[] encoded = TestHuffmanEncoder.Encode(text);
            byte[] output = new byte[HuffmanDecoder.MaxDecodedLength(encoded.Length)];
            Assert.Equal(HuffmanDecodeStatus.Done, HuffmanDecoder.TryDecode(encoded, output, out int written));
            Assert.Equal(text, output[..written]);
        }
    }
}
