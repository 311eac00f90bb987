using AwgProxy.Quic.Tls.Extensions;
using AwgProxy.Quic.Tls.Messages;

namespace AwgProxy.Quic.Tests.Tls.Messages;

public class CertificateTests
{
    [Fact]
    public void CertificateWithChain_MeetsTheCodecContract()
    {
        var message = new Certificate
        {
            CertificateList =
            [
                new CertificateEntry(TestCertificates.Ecdsa.CertificateChain[0]),
                new CertificateEntry([0x30, 0x00], [new TlsExtension(ExtensionType.SignedCertificateTimestamp, [1])]),
            ],
        };
        MessageCodecAssert.Contract(message, Certificate.TryParse, fuzzSeed: 501);
    }

    [Fact]
    public void EmptyCertificate_RoundTrips()
    {
        byte[] body = MessageCodecAssert.Contract(new Certificate(), Certificate.TryParse, fuzzSeed: 502);
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, body);
    }

    [Fact]
    public void EmptyCertData_IsRejected()
    {
        // certificate_list of one entry whose cert_data<1..2^24-1> is empty.
        Assert.False(Certificate.TryParse([0, 0, 0, 5, 0, 0, 0, 0, 0], out _));
    }

    [Fact]
    public void DuplicateEntryExtension_IsFlagged()
    {
        var message = new Certificate
        {
            CertificateList = [new CertificateEntry([1], [new TlsExtension(ExtensionType.StatusRequest, []), new TlsExtension(ExtensionType.StatusRequest, [])])],
        };
        Assert.True(Certificate.TryParse(HandshakeMessage.Encode(message)[4..], out Certificate? parsed));
        Assert.True(parsed!.HasDuplicateExtensions);
    }
}
