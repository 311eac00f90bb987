using AwgProxy.AmneziaWG.Device;
using static AwgProxy.AmneziaWG.Tests.TestSupport;

namespace AwgProxy.AmneziaWG.Tests.Device;

public class ObfChainTests
{
    [Theory]
    [InlineData("<r 65527>", 65527)]
    [InlineData("<rc 65527>", 65527)]
    [InlineData("<rd 1><r 65526>", 65527)]
    [InlineData("<dz 65527>", 65527)]
    public void LengthUpToLargestUdpPayload_IsAccepted(string spec, long length)
    {
        Assert.True(ObfChain.TryParse(spec, out var chain, out var error), error);
        Assert.Equal(length, chain.ObfuscatedLen(0));
    }

    [Theory]
    [InlineData("<r -1>", "failed to build <r>: length -1 is negative")]
    [InlineData("<rc -0003>", "failed to build <rc>: length -3 is negative")]
    [InlineData("<rd -9223372036854775808>", "failed to build <rd>: length -9223372036854775808 is negative")]
    [InlineData("<dz -1>", "failed to build <dz>: length -1 is negative")]
    [InlineData("<r 65528>", "failed to build <r>: length 65528 exceeds 65527, the largest UDP payload")]
    [InlineData("<r 9223372036854775807><r 1>", "failed to build <r>: length 9223372036854775807 exceeds 65527, the largest UDP payload")]
    [InlineData("<r 40000><b 0x01><rc 30000>", "packet length 70001 exceeds 65527, the largest UDP payload")]
    [InlineData("<x><r -2>", "unknown tag <x>\nfailed to build <r>: length -2 is negative")]
    public void LengthsUpstreamCrashesOn_AreRejectedNamingTagAndValue(string spec, string expected)
    {
        Assert.False(ObfChain.TryParse(spec, out _, out var error));
        Assert.Equal(expected, error);
        var ex = Assert.Throws<AwgValidationException>(() => ObfChain.Parse(spec));
        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public void Spec_IsKeptVerbatim()
    {
        const string spec = " <b 0x01>\ttext <t> ";
        Assert.Equal(spec, ObfChain.Parse(spec).Spec);
    }

    [Fact]
    public void Obfuscate_DestinationTooShort_ThrowsArgumentException()
    {
        var chain = ObfChain.Parse("<b 0x0102><d>");

        Assert.Throws<ArgumentException>(() => chain.Obfuscate(new byte[4], [1, 2, 3], Context()));
    }

    [Fact]
    public void Obfuscate_LargerDestination_WritesOnlyThePrefix()
    {
        var chain = ObfChain.Parse("<b 0x0102><dz 2><d>");
        var buf = new byte[10];
        Array.Fill(buf, (byte)0xEE);

        var written = chain.Obfuscate(buf, [9, 8], Context());

        Assert.Equal(6, written);
        Assert.Equal("010200020908eeeeeeee", Hex(buf));
    }

    [Theory]
    [InlineData("<d><d>", "0102")]
    [InlineData("<d><ds>", "01020304")]
    [InlineData("<b 0x0102><r 4>", "0102")]
    [InlineData("<rc 3>", "6162")]
    [InlineData("<t><d>", "")]
    public void Deobfuscate_WhereUpstreamPanics_ReturnsFalse(string spec, string inputHex)
    {
        var chain = ObfChain.Parse(spec);
        var input = Convert.FromHexString(inputHex);
        var dst = new byte[Math.Max(0, chain.DeobfuscatedLen(input.Length))];

        Assert.False(chain.Deobfuscate(dst, input));
    }

    [Fact]
    public void Deobfuscate_DestinationTooShort_ReturnsFalse()
    {
        var chain = ObfChain.Parse("<b 0x01><d>");

        Assert.False(chain.Deobfuscate(new byte[1], [0x01, 0xAA, 0xBB]));
        var dst = new byte[2];
        Assert.True(chain.Deobfuscate(dst, [0x01, 0xAA, 0xBB]));
        Assert.Equal("aabb", Hex(dst));
    }

    [Fact]
    public void Deobfuscate_WithoutDynamicTag_IgnoresTrailingBytes()
    {
        var chain = ObfChain.Parse("<b 0x01><rd 2>");

        Assert.True(chain.Deobfuscate([], [0x01, (byte)'4', (byte)'2', 0xFF, 0xFF]));
        Assert.False(chain.Deobfuscate([], [0x01, (byte)'4', (byte)'x']));
    }

    [Fact]
    public void TextOutsideTags_ProducesAnEmptyPacket()
    {
        var chain = ObfChain.Parse("hello > world");

        Assert.Equal(0, chain.ObfuscatedLen(0));
        Assert.Equal(0, chain.Obfuscate([], [], Context()));
    }
}
