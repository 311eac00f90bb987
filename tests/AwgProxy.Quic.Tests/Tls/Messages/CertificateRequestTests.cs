using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Extensions;
using AwgProxy.Quic.Tls.Messages;

namespace AwgProxy.Quic.Tests.Tls.Messages;

public class CertificateRequestTests
{
    [Fact]
    public void CertificateRequest_MeetsTheCodecContract()
    {
        var message = new CertificateRequest
        {
            CertificateRequestContext = [],
            Extensions = [new TlsExtension(ExtensionType.SignatureAlgorithms, SignatureAlgorithmsExtension.Encode([SignatureScheme.Ed25519, SignatureScheme.EcdsaSecp256r1Sha256]))],
        };
        byte[] body = MessageCodecAssert.Contract(message, CertificateRequest.TryParse, fuzzSeed: 401);
        Assert.Equal(new byte[] { 0, 0, 10, 0, 13, 0, 6, 0, 4, 8, 7, 4, 3 }, body);
    }

    [Fact]
    public void NonEmptyContext_RoundTrips()
    {
        var message = new CertificateRequest { CertificateRequestContext = [7, 7], Extensions = [] };
        byte[] body = HandshakeMessage.Encode(message)[4..];
        Assert.True(CertificateRequest.TryParse(body, out CertificateRequest? parsed));
        Assert.Equal([7, 7], parsed!.CertificateRequestContext);
    }
}
