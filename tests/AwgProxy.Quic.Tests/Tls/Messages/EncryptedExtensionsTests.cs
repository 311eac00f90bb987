using AwgProxy.Quic.Tls.Extensions;
using AwgProxy.Quic.Tls.Messages;

namespace AwgProxy.Quic.Tests.Tls.Messages;

public class EncryptedExtensionsTests
{
    [Fact]
    public void EncryptedExtensions_MeetsTheCodecContract()
    {
        var message = new EncryptedExtensions
        {
            Extensions =
            [
                new TlsExtension(ExtensionType.ApplicationLayerProtocolNegotiation, ApplicationLayerProtocolNegotiationExtension.Encode(["h3"u8.ToArray()])),
                new TlsExtension(ExtensionType.QuicTransportParameters, [0x0f, 0x04, 1, 2, 3, 4]),
                new TlsExtension(ExtensionType.ServerName, []),
            ],
        };
        MessageCodecAssert.Contract(message, EncryptedExtensions.TryParse, fuzzSeed: 301);
    }

    [Fact]
    public void EmptyEncryptedExtensions_RoundTrips()
    {
        Assert.Equal(new byte[] { 8, 0, 0, 2, 0, 0 }, HandshakeMessage.Encode(new EncryptedExtensions()));
        Assert.True(EncryptedExtensions.TryParse([0, 0], out EncryptedExtensions? parsed));
        Assert.Empty(parsed!.Extensions);
    }
}
