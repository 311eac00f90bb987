using AwgProxy.Quic.Tls.Extensions;
using static AwgProxy.Quic.Tests.Tls.TlsTestSupport;

namespace AwgProxy.Quic.Tests.Tls.Extensions;

public class CookieExtensionTests
{
    [Fact]
    public void Cookie_RoundTrips()
    {
        byte[] encoded = CookieExtension.Encode([0xAA, 0xBB, 0xCC]);
        Assert.Equal(Hex("00 03 aa bb cc"), encoded);
        Assert.True(CookieExtension.TryParse(encoded, out byte[] cookie));
        Assert.Equal([0xAA, 0xBB, 0xCC], cookie);
        ExtensionCodecAssert.Contract(encoded, b => CookieExtension.TryParse(b, out _), fuzzSeed: 1601);
    }

    [Fact]
    public void EmptyCookie_IsRejected() => Assert.False(CookieExtension.TryParse(Hex("00 00"), out _));
}
