using AwgProxy.AmneziaWG.Device;
using static AwgProxy.AmneziaWG.Tests.TestSupport;

namespace AwgProxy.AmneziaWG.Tests.Device;

/// <summary>The &lt;c&gt; tag, this project's addition (envelope.md; UPSTREAM.md deviation D1).</summary>
public class ObfCounterTests
{
    [Fact]
    public void CounterTag_WritesDatagramsSentAsFourBigEndianBytes()
    {
        var chain = ObfChain.Parse("<c>");
        var buf = new byte[chain.ObfuscatedLen(0)];

        var written = chain.Obfuscate(buf, [], Context(datagramsSent: 0x01020304));

        Assert.Equal(4, written);
        Assert.Equal("01020304", Hex(buf));
    }

    [Fact]
    public void CounterTag_IgnoresItsArgumentLikeTheTimestampTag()
    {
        var chain = ObfChain.Parse("<c 99 extra>");
        var buf = new byte[4];

        chain.Obfuscate(buf, [], Context(datagramsSent: 7));

        Assert.Equal("00000007", Hex(buf));
    }

    [Fact]
    public void CounterTag_SitsInDocumentOrderAmongOtherTags()
    {
        var chain = ObfChain.Parse("<b 0xaa><c><t><b 0xbb>");
        var buf = new byte[chain.ObfuscatedLen(0)];

        chain.Obfuscate(buf, [], Context(datagramsSent: uint.MaxValue));

        // 1700000000 = 0x6553F100.
        Assert.Equal("aaffffffff6553f100bb", Hex(buf));
    }

    [Fact]
    public void CounterTag_DrawsNoRandomness()
    {
        var stream = Vectors.Sha256CounterStream.FromHex("01");
        var chain = ObfChain.Parse("<c><c>");

        chain.Obfuscate(new byte[8], [], new ObfContext(stream, TimeProvider.System, 3));

        Assert.Equal(0, stream.BytesConsumed);
    }

    [Fact]
    public void UpstreamTable_StillRejectsCounterTag()
    {
        Assert.False(ObfChain.TryParse("<c>", ObfBuilders.Upstream, out _, out var error));
        Assert.Equal("unknown tag <c>", error);
        Assert.False(ObfBuilders.Upstream.ContainsKey("c"));
        Assert.True(ObfBuilders.Default.ContainsKey("c"));
    }

    [Fact]
    public void CounterTag_NameIsCaseSensitive()
    {
        Assert.False(ObfChain.TryParse("<C>", out _, out var error));
        Assert.Equal("unknown tag <C>", error);
    }

    [Fact]
    public void Deobfuscate_AcceptsAnyCounterValue()
    {
        var chain = ObfChain.Parse("<b 0x01><c>");

        Assert.True(chain.Deobfuscate([], [0x01, 0xde, 0xad, 0xbe, 0xef]));
        Assert.False(chain.Deobfuscate([], [0x02, 0, 0, 0, 0]));
        Assert.Equal(0, chain.DeobfuscatedLen(5));
    }

    [Fact]
    public void HandshakeBurst_GivesEachIPacketItsOwnPositionInTheCount()
    {
        var device = new DeviceState();
        device.IPackets[0] = ObfChain.Parse("<c>");
        device.IPackets[2] = ObfChain.Parse("<b 0xff><c>");
        device.IPackets[4] = ObfChain.Parse("<c>");

        var datagrams = Send.SendHandshakeInitiation(device, [0x01, 0x00, 0x00, 0x00], Context(datagramsSent: uint.MaxValue - 1));

        Assert.Equal(["fffffffe", "ffffffffff", "00000000", "01000000"], datagrams.Select(d => Hex(d)));
    }
}
