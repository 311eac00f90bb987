using System.Text;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Messages;

namespace AwgProxy.Quic.Tests.Tls.Messages;

public class CertificateVerifyTests
{
    [Fact]
    public void CertificateVerify_MeetsTheCodecContract()
    {
        var message = new CertificateVerify { Algorithm = SignatureScheme.Ed25519, Signature = [.. Enumerable.Range(0, 64).Select(i => (byte)i)] };
        byte[] body = MessageCodecAssert.Contract(message, CertificateVerify.TryParse, fuzzSeed: 601);
        Assert.Equal(new byte[] { 0x08, 0x07, 0x00, 0x40 }, body[..4]);
    }

    [Fact]
    public void SignedContent_IsSpacesContextZeroAndHash()
    {
        byte[] hash = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
        byte[] server = CertificateVerify.BuildSignedContent(server: true, hash);
        byte[] client = CertificateVerify.BuildSignedContent(server: false, hash);

        Assert.All(server[..64], b => Assert.Equal(0x20, b));
        Assert.Equal("TLS 1.3, server CertificateVerify", Encoding.ASCII.GetString(server, 64, 33));
        Assert.Equal(0, server[97]);
        Assert.Equal(hash, server[98..]);
        Assert.Equal("TLS 1.3, client CertificateVerify", Encoding.ASCII.GetString(client, 64, 33));
        Assert.Equal(130, client.Length);
    }
}
