using System.Text;
using AwgProxy.AmneziaWG.Stdlib;

namespace AwgProxy.AmneziaWG.Tests.Stdlib;

public class GoEncodingTests
{
    [Theory]
    [InlineData("zz", "encoding/hex: invalid byte: U+007A 'z'")]
    [InlineData("0\u0001", "encoding/hex: invalid byte: U+0001")]
    [InlineData("\u007f0", "encoding/hex: invalid byte: U+007F")]
    [InlineData("aé0", "encoding/hex: invalid byte: U+00C3 'Ã'")]
    [InlineData("'0", "encoding/hex: invalid byte: U+0027 '''")]
    public void HexDecode_NamesTheFirstInvalidByte(string s, string expected)
    {
        Assert.False(GoHex.TryDecodeString(s, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void HexDecode_AcceptsBothCases()
    {
        Assert.True(GoHex.TryDecodeString("aBcD", out var bytes, out _));
        Assert.Equal([0xAB, 0xCD], bytes);
    }

    [Fact]
    public void Base64_EncodeAndLengths_MatchUnpaddedStandardBase64()
    {
        var random = new Random(1);
        for (var n = 0; n < 100; n++)
        {
            var src = new byte[n];
            random.NextBytes(src);
            var expected = Convert.ToBase64String(src).TrimEnd('=');
            var dst = new byte[GoBase64.EncodedLen(n)];

            GoBase64.Encode(dst, src);

            Assert.Equal(expected, Encoding.ASCII.GetString(dst));
            Assert.Equal(n, GoBase64.DecodedLen(dst.Length));
            var back = new byte[n];
            Assert.Equal((n, true), GoBase64.Decode(back, dst));
            Assert.Equal(src, back);
        }
    }

    [Theory]
    [InlineData(-1, 0, 0)]
    [InlineData(-3, -4, -2)]
    [InlineData(-7, -8, -5)]
    public void Base64_NegativeLengths_TruncateLikeGo(long n, long encoded, long decoded)
    {
        Assert.Equal(encoded, GoBase64.EncodedLen(n));
        Assert.Equal(decoded, GoBase64.DecodedLen(n));
    }

    [Fact]
    public void Base64Decode_SkipsNewlines()
    {
        var dst = new byte[3];
        Assert.Equal((3, true), GoBase64.Decode(dst, "AQ\r\nID"u8));
        Assert.Equal([1, 2, 3], dst);
    }

    [Fact]
    public void Base64Decode_CorruptInput_KeepsWhatWasDecodedBefore()
    {
        // "AQIDBAUG" takes the 8-character step (6 bytes + 2 zero bytes); with 6 bytes of room left
        // "BwgJ" takes the 4-character step (3 bytes + 1 zero byte, kept at index 9); "!AAA" fails.
        var dst = new byte[12];
        Array.Fill(dst, (byte)0xEE);

        var (written, ok) = GoBase64.Decode(dst, "AQIDBAUGBwgJ!AAA"u8);

        Assert.False(ok);
        Assert.Equal(9, written);
        Assert.Equal("01020304050607080900eeee", Convert.ToHexStringLower(dst));
    }

    [Fact]
    public void Base64Decode_SingleTrailingCharacter_IsCorrupt()
    {
        var dst = new byte[4];
        Assert.Equal((3, false), GoBase64.Decode(dst, "AQIDB"u8));
    }

    [Theory]
    [InlineData('\u0085', true)]
    [InlineData('\u00a0', true)]
    [InlineData('\u1680', true)]
    [InlineData('\u2000', true)]
    [InlineData('\u200a', true)]
    [InlineData('\u202f', true)]
    [InlineData('\u205f', true)]
    [InlineData('\u200b', false)]
    [InlineData('\u180e', false)]
    [InlineData('\u001c', false)]
    [InlineData('\ufeff', false)]
    public void IsSpace_FollowsGosWhiteSpaceTable(char c, bool expected) => Assert.Equal(expected, GoUnicode.IsSpace(c));

    [Fact]
    public void Fields_SplitsOnRunsOfWhiteSpace()
    {
        Assert.Equal(["b", "0x01", "x"], GoStrings.Fields("\u3000b \t\u00a00x01\u2028x "));
        Assert.Empty(GoStrings.Fields(" \n "));
        Assert.Equal(["r\u200b4"], GoStrings.Fields("r\u200b4"));
    }
}
