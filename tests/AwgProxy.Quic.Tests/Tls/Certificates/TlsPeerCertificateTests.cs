using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Quic.Tests.Tls.Certificates;

public class TlsPeerCertificateTests
{
    private static TlsPeerCertificate Create(byte[] der)
    {
        Assert.True(TlsPeerCertificate.TryCreate([der], out TlsPeerCertificate? certificate, out _, out string reason), reason);
        return certificate!;
    }

    [Fact]
    public void Ed25519Leaf_MatchesRawKeyPinAndSpkiPin()
    {
        TlsPeerCertificate certificate = Create(TestCertificates.Ed25519Server.CertificateChain[0]);
        Assert.Equal(TlsPublicKeyType.Ed25519, certificate.KeyType);
        Assert.True(certificate.MatchesPin(TestCertificates.Ed25519ServerKey.PublicKey));
        Assert.True(certificate.MatchesPin(certificate.SubjectPublicKeyInfo));
        Assert.False(certificate.MatchesPin(TestCertificates.Ed25519ClientKey.PublicKey));
        Assert.Equal(44, certificate.SubjectPublicKeyInfo.Length);
    }

    [Fact]
    public void EcdsaLeaf_MatchesOnlyItsSpki()
    {
        TlsPeerCertificate certificate = Create(TestCertificates.Ecdsa.CertificateChain[0]);
        Assert.Equal(TlsPublicKeyType.EcdsaP256, certificate.KeyType);
        Assert.Null(certificate.Ed25519PublicKey);
        Assert.True(certificate.MatchesPin(TestCertificates.SubjectPublicKeyInfo(TestCertificates.Ecdsa)));
        Assert.False(certificate.MatchesPin(certificate.RawPublicKey));
        Assert.False(certificate.MatchesPin(TestCertificates.SubjectPublicKeyInfo(TestCertificates.Rsa)));
    }

    [Fact]
    public void GarbageLeaf_IsBadCertificate()
    {
        Assert.False(TlsPeerCertificate.TryCreate([[1, 2, 3]], out _, out AlertDescription alert, out _));
        Assert.Equal(AlertDescription.BadCertificate, alert);
    }

    [Fact]
    public void LeafWithUnsupportedKey_IsUnsupportedCertificate()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=p384", key, System.Security.Cryptography.HashAlgorithmName.SHA384);
        using var certificate = request.CreateSelfSigned(TestCertificates.NotBefore, TestCertificates.NotAfter);
        Assert.False(TlsPeerCertificate.TryCreate([certificate.RawData], out _, out AlertDescription alert, out _));
        Assert.Equal(AlertDescription.UnsupportedCertificate, alert);
    }
}
