using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Extensions;
using static AwgProxy.Quic.Tests.Tls.TlsTestSupport;

namespace AwgProxy.Quic.Tests.Tls.Extensions;

public class SignatureAlgorithmsExtensionTests
{
    [Fact]
    public void Schemes_RoundTrip()
    {
        byte[] encoded = SignatureAlgorithmsExtension.Encode([SignatureScheme.EcdsaSecp256r1Sha256, SignatureScheme.RsaPssRsaeSha256, SignatureScheme.Ed25519]);
        Assert.Equal(Hex("00 06 04 03 08 04 08 07"), encoded);
        Assert.True(SignatureAlgorithmsExtension.TryParse(encoded, out SignatureScheme[] schemes));
        Assert.Equal([SignatureScheme.EcdsaSecp256r1Sha256, SignatureScheme.RsaPssRsaeSha256, SignatureScheme.Ed25519], schemes);
        ExtensionCodecAssert.Contract(encoded, b => SignatureAlgorithmsExtension.TryParse(b, out _), fuzzSeed: 1201);
    }

    [Theory]
    [InlineData("00 00")]
    [InlineData("00 01 04")]
    public void EmptyOrOddList_IsRejected(string hex) => Assert.False(SignatureAlgorithmsExtension.TryParse(Hex(hex), out _));
}
