using AwgProxy.AmneziaWG;
using AwgProxy.AmneziaWG.Device;

namespace AwgProxy.Obfuscation.Tests;

public class AwgProfileTests
{
    private static readonly AwgOptions s_options = new()
    {
        Jc = 2, Jmin = 8, Jmax = 8, S1 = 3, S2 = 5, S3 = 7, S4 = 9,
        H1 = "100-199", H2 = "200", H3 = "300-301", H4 = "400-499",
        I2 = "<b 0xfeed><c>",
    };

    [Fact]
    public void Create_CompilesHeadersChainsAndSizes()
    {
        var profile = AwgProfile.Create(s_options, WireSizeBudget.DefaultIPv6WireMtu);

        Assert.Equal((2, 8, 8), (profile.Jc, profile.Jmin, profile.Jmax));
        Assert.Equal("100-199", profile.Header(AwgMessageClass.Initiation).GenSpec());
        Assert.Equal("400-499", profile.Header(AwgMessageClass.Transport).GenSpec());
        Assert.Equal(7, profile.Padding(AwgMessageClass.Cookie));
        Assert.Null(profile.IPackets[0]);
        Assert.Equal(6, profile.IPackets[1]!.ObfuscatedLen(0));
        Assert.Equal(1452 - 13, profile.Budget.MaxQuicDatagramSize);
    }

    [Fact]
    public void Create_InvalidOptions_ThrowsWithEveryProblem()
    {
        var ex = Assert.Throws<AwgValidationException>(() => AwgProfile.Create(new AwgOptions { Jc = -1, H4 = "x" }));

        Assert.Equal(2, ex.Message.Split('\n').Length);
        Assert.Contains("Jc = -1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("H4 = 'x'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeviceState_FeedsTheUpstreamHandshakeSequence()
    {
        var profile = AwgProfile.Create(s_options);
        var device = profile.CreateDeviceState();
        var random = new CountingRandom();

        var datagrams = Send.SendHandshakeInitiation(device, [0x01, 0x02], new ObfContext(random, TimeProvider.System, DatagramsSent: 41));

        Assert.Equal([6, 8, 8, 5], datagrams.Select(d => d.Length));
        Assert.Equal("feed00000029", Convert.ToHexStringLower(datagrams[0]));
        Assert.Equal("0102", Convert.ToHexStringLower(datagrams[3].AsSpan(3)));
        Assert.Equal("400-499", device.Headers.Transport.GenSpec());
    }

    private sealed class CountingRandom : IRandomSource
    {
        private byte _next;

        public void Read(Span<byte> buffer)
        {
            for (var i = 0; i < buffer.Length; i++)
            {
                buffer[i] = _next++;
            }
        }
    }
}
