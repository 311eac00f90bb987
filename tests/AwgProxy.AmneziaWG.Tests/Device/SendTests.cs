using AwgProxy.AmneziaWG.Device;
using AwgProxy.AmneziaWG.Tests.Vectors;
using static AwgProxy.AmneziaWG.Tests.TestSupport;

namespace AwgProxy.AmneziaWG.Tests.Device;

public class SendTests
{
    [Theory]
    [InlineData(1, 20, 10, "jmin 20 is greater than jmax 10")]
    [InlineData(1, -5, 5, "jmin -5 is negative")]
    [InlineData(3, 0, 65528, "jmax 65528 exceeds 65527, the largest UDP payload")]
    [InlineData(2, 0, long.MaxValue, "jmax 9223372036854775807 exceeds 65527, the largest UDP payload")]
    public void JunkSettingsUpstreamPanicsOn_AreRejectedBeforeAnyDraw(long jc, long jmin, long jmax, string expected)
    {
        var device = new DeviceState();
        device.IPackets[0] = ObfChain.Parse("<r 8>");
        device.Junk.Count = jc;
        device.Junk.Min = jmin;
        device.Junk.Max = jmax;
        var stream = Sha256CounterStream.FromHex("01");

        var ex = Assert.Throws<AwgValidationException>(() => Send.SendHandshakeInitiation(device, new byte[148], new ObfContext(stream, TimeProvider.System)));

        Assert.Equal(expected, ex.Message);
        Assert.Equal(0, stream.BytesConsumed);
    }

    [Fact]
    public void JunkRangeIsIgnored_WhenNoJunkIsSent()
    {
        Assert.Null(Send.ValidateJunk(0, 20, 10));
        var packets = new List<byte[]>();
        Send.AppendJunk(-1, 20, 10, Sha256CounterStream.FromHex(""), packets);
        Assert.Empty(packets);
    }

    [Fact]
    public void Padding_BeyondLargestUdpPayload_IsRejected()
    {
        var ex = Assert.Throws<AwgValidationException>(() => Send.Pad(65527 - 147, new byte[148], Sha256CounterStream.FromHex("")));
        Assert.Equal("padding 65380 plus the 148-byte message exceeds 65527, the largest UDP payload", ex.Message);
        Assert.Equal(65527, Send.Pad(65527 - 148, new byte[148], Sha256CounterStream.FromHex("")).Length);
    }

    [Fact]
    public void NegativePadding_LeavesTheMessageAsItIs()
    {
        var stream = Sha256CounterStream.FromHex("");

        Assert.Equal([1, 2, 3], Send.Pad(-4, [1, 2, 3], stream));
        Assert.Equal(0, stream.BytesConsumed);
    }

    [Fact]
    public void WritePadded_WritesPrefixThenMessageIntoTheCallersBuffer()
    {
        var dst = new byte[8];
        Array.Fill(dst, (byte)0xEE);

        var length = Send.WritePadded(dst, 3, [0x0A, 0x0B], Sha256CounterStream.FromHex(""));

        Assert.Equal(5, length);
        Assert.Equal("df3f610a0beeeeee", Hex(dst));
        Assert.Throws<ArgumentException>(() => Send.WritePadded(new byte[4], 3, [1, 2], Sha256CounterStream.FromHex("")));
    }

    [Fact]
    public void EmptyChain_StillSendsAZeroLengthDatagram()
    {
        var device = new DeviceState();
        device.IPackets[3] = ObfChain.Parse("only text");

        var datagrams = Send.SendHandshakeInitiation(device, [0x01], Context());

        Assert.Equal(["", "01"], datagrams.Select(d => Hex(d)));
    }
}
