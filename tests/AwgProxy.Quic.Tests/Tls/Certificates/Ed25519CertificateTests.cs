using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Quic.Tests.Tls.Certificates;

public class Ed25519CertificateTests
{
    [Fact]
    public void SelfSignedCertificate_IsValidX509ThatDotNetLoads()
    {
        Ed25519KeyPair key = TestCertificates.Ed25519ServerKey;
        byte[] der = Ed25519Certificate.CreateSelfSigned(key, "peer-1", dnsName: "peer.example");

        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(der);
        Assert.Equal(3, certificate.Version);
        Assert.Equal("CN=peer-1", certificate.Subject);
        Assert.Equal(certificate.Subject, certificate.Issuer);
        Assert.Equal("1.3.101.112", certificate.PublicKey.Oid.Value);
        Assert.Equal("1.3.101.112", certificate.SignatureAlgorithm.Value);
        Assert.Equal(Ed25519Certificate.DefaultNotAfter.UtcDateTime, certificate.NotAfter.ToUniversalTime());
        Assert.True(certificate.MatchesHostname("peer.example", allowWildcards: false, allowCommonName: false));
        Assert.Contains(certificate.Extensions, e => e is X509BasicConstraintsExtension { CertificateAuthority: false, Critical: true });
        Assert.Contains(certificate.Extensions, e => e is X509KeyUsageExtension { KeyUsages: X509KeyUsageFlags.DigitalSignature });
    }

    [Fact]
    public void SelfSignedCertificate_SignatureVerifiesWithTheEmbeddedKey()
    {
        Ed25519KeyPair key = TestCertificates.Ed25519ClientKey;
        byte[] der = Ed25519Certificate.CreateSelfSigned(key);

        var reader = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        ReadOnlyMemory<byte> tbs = reader.ReadEncodedValue();
        reader.ReadSequence();
        byte[] signature = reader.ReadBitString(out _);

        Assert.True(Ed25519Certificate.TryGetPublicKey(der, out byte[] publicKey));
        Assert.Equal(key.PublicKey, publicKey);
        Assert.True(Ed25519KeyPair.Verify(publicKey, tbs.Span, signature));
    }

    [Fact]
    public void SelfSignedCertificate_IsDeterministicAndUsesGeneralizedTimeAfter2049()
    {
        Ed25519KeyPair key = TestCertificates.Ed25519ServerKey;
        byte[] first = Ed25519Certificate.CreateSelfSigned(key);
        Assert.Equal(first, Ed25519Certificate.CreateSelfSigned(key));
        Assert.NotEqual(first, Ed25519Certificate.CreateSelfSigned(TestCertificates.Ed25519ClientKey));

        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(first);
        Assert.Equal(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc), certificate.NotBefore.ToUniversalTime());
        Assert.Equal(new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc), certificate.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void TryGetPublicKey_RefusesOtherKeyTypesAndGarbage()
    {
        Assert.False(Ed25519Certificate.TryGetPublicKey(TestCertificates.Ecdsa.CertificateChain[0], out _));
        Assert.False(Ed25519Certificate.TryGetPublicKey([0x30, 0x00], out _));
        Assert.False(Ed25519Certificate.TryGetPublicKey([], out _));
    }

    [Fact]
    public void TryGetPublicKey_NeverThrowsOnMutatedCertificates()
    {
        byte[] der = Ed25519Certificate.CreateSelfSigned(TestCertificates.Ed25519ServerKey);
        TlsTestSupport.FuzzNeverThrows(der, b => Ed25519Certificate.TryGetPublicKey(b, out _), seed: 2001, iterations: 3000);
        TlsTestSupport.AssertEveryTruncationFails(der, b => Ed25519Certificate.TryGetPublicKey(b, out _));
    }
}
