using AwgProxy.Quic.Tls.Extensions;
using static AwgProxy.Quic.Tests.Tls.TlsTestSupport;

namespace AwgProxy.Quic.Tests.Tls.Extensions;

public class ApplicationLayerProtocolNegotiationExtensionTests
{
    [Fact]
    public void ProtocolList_RoundTrips()
    {
        byte[] encoded = ApplicationLayerProtocolNegotiationExtension.Encode(["h3"u8.ToArray(), "awgproxy/1"u8.ToArray()]);
        Assert.Equal(Hex("00 0e 02 68 33 0a 61 77 67 70 72 6f 78 79 2f 31"), encoded);
        Assert.True(ApplicationLayerProtocolNegotiationExtension.TryParse(encoded, out List<byte[]> protocols));
        Assert.Equal(["h3"u8.ToArray(), "awgproxy/1"u8.ToArray()], protocols);
        ExtensionCodecAssert.Contract(encoded, b => ApplicationLayerProtocolNegotiationExtension.TryParse(b, out _), fuzzSeed: 1301);
    }

    [Theory]
    [InlineData("00 00")] // empty list
    [InlineData("00 01 00")] // list shorter than 2
    [InlineData("00 03 02 68 33 00")] // trailing empty name inside the list: length mismatch
    [InlineData("00 04 02 68 33 00")] // empty protocol name
    public void Violations_AreRejected(string hex) => Assert.False(ApplicationLayerProtocolNegotiationExtension.TryParse(Hex(hex), out _));
}
