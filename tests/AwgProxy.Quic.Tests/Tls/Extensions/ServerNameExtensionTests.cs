using AwgProxy.Quic.Tls.Extensions;
using static AwgProxy.Quic.Tests.Tls.TlsTestSupport;

namespace AwgProxy.Quic.Tests.Tls.Extensions;

public class ServerNameExtensionTests
{
    [Fact]
    public void HostName_EncodesAsInRfc8448AndRoundTrips()
    {
        byte[] encoded = ServerNameExtension.Encode("server");
        Assert.Equal(Hex("00 09 00 00 06 73 65 72 76 65 72"), encoded);
        Assert.True(ServerNameExtension.TryParse(encoded, out string name));
        Assert.Equal("server", name);
        ExtensionCodecAssert.Contract(encoded, b => ServerNameExtension.TryParse(b, out _), fuzzSeed: 1001);
    }

    [Theory]
    [InlineData("00 00")] // empty list
    [InlineData("00 03 01 00 00")] // unknown name type
    [InlineData("00 03 00 00 00")] // empty host name
    [InlineData("00 06 00 00 03 61 20 62")] // space in the name
    [InlineData("00 0a 00 00 02 61 62 00 00 02 63 64")] // two host names
    public void Violations_AreRejected(string hex)
    {
        Assert.False(ServerNameExtension.TryParse(Hex(hex), out _));
    }
}
