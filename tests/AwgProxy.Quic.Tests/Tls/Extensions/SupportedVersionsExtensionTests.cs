using AwgProxy.Quic.Tls.Extensions;
using static AwgProxy.Quic.Tests.Tls.TlsTestSupport;

namespace AwgProxy.Quic.Tests.Tls.Extensions;

public class SupportedVersionsExtensionTests
{
    [Fact]
    public void ClientHelloForm_RoundTrips()
    {
        byte[] encoded = SupportedVersionsExtension.EncodeClientHello([0x0304, 0x0303]);
        Assert.Equal(Hex("04 03 04 03 03"), encoded);
        Assert.True(SupportedVersionsExtension.TryParseClientHello(encoded, out ushort[] versions));
        Assert.Equal([(ushort)0x0304, (ushort)0x0303], versions);
        ExtensionCodecAssert.Contract(encoded, b => SupportedVersionsExtension.TryParseClientHello(b, out _), fuzzSeed: 1401);
    }

    [Fact]
    public void ServerHelloForm_RoundTrips()
    {
        byte[] encoded = SupportedVersionsExtension.EncodeServerHello(0x0304);
        Assert.Equal(Hex("03 04"), encoded);
        Assert.True(SupportedVersionsExtension.TryParseServerHello(encoded, out ushort version));
        Assert.Equal(0x0304, version);
        ExtensionCodecAssert.Contract(encoded, b => SupportedVersionsExtension.TryParseServerHello(b, out _), fuzzSeed: 1402);
    }

    [Theory]
    [InlineData("00")]
    [InlineData("03 03 04 03")]
    public void EmptyOrOddClientList_IsRejected(string hex) => Assert.False(SupportedVersionsExtension.TryParseClientHello(Hex(hex), out _));
}
