using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Extensions;
using static AwgProxy.Quic.Tests.Tls.TlsTestSupport;

namespace AwgProxy.Quic.Tests.Tls.Extensions;

public class SupportedGroupsExtensionTests
{
    [Fact]
    public void Groups_RoundTripIncludingUnknownValues()
    {
        byte[] encoded = SupportedGroupsExtension.Encode([NamedGroup.X25519, NamedGroup.Secp256r1, (NamedGroup)0x0A0A]);
        Assert.Equal(Hex("00 06 00 1d 00 17 0a 0a"), encoded);
        Assert.True(SupportedGroupsExtension.TryParse(encoded, out NamedGroup[] groups));
        Assert.Equal([NamedGroup.X25519, NamedGroup.Secp256r1, (NamedGroup)0x0A0A], groups);
        ExtensionCodecAssert.Contract(encoded, b => SupportedGroupsExtension.TryParse(b, out _), fuzzSeed: 1101);
    }

    [Theory]
    [InlineData("00 00")]
    [InlineData("00 03 00 1d 00")]
    public void EmptyOrOddList_IsRejected(string hex) => Assert.False(SupportedGroupsExtension.TryParse(Hex(hex), out _));
}
