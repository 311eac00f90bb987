using System.Security.Cryptography;
using System.Text;
using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Quic.Tls.Signatures;

namespace AwgProxy.Quic.Tests.Tls.Certificates;

public class TlsCertificateCredentialTests
{
    [Fact]
    public void KeyNotBelongingToLeaf_IsRefused()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Throws<ArgumentException>(() => new TlsCertificateCredential(TestCertificates.Ecdsa.CertificateChain, TlsSigningKey.FromEcdsa(other)));
        Assert.Throws<ArgumentException>(() => new TlsCertificateCredential(TestCertificates.Ecdsa.CertificateChain, TlsSigningKey.FromEd25519(TestCertificates.Ed25519ClientKey)));
        Assert.Throws<ArgumentException>(() => new TlsCertificateCredential(TestCertificates.Ed25519Server.CertificateChain, TlsSigningKey.FromEd25519(TestCertificates.Ed25519ClientKey)));
    }

    [Fact]
    public void UnsupportedSigningKeys_AreRefused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa1024 = RSA.Create(1024);
        Assert.Throws<ArgumentException>(() => TlsSigningKey.FromEcdsa(p384));
        Assert.Throws<ArgumentException>(() => TlsSigningKey.FromRsa(rsa1024));
        Assert.Throws<ArgumentException>(() => new TlsCertificateCredential([], TlsSigningKey.FromEd25519(TestCertificates.Ed25519ClientKey)));
    }

    [Fact]
    public void FromPem_ReadsEcdsaAndRsaInteropFiles()
    {
        TlsCertificateCredential ecdsa = TlsCertificateCredential.FromPem(InteropCertificates.EcdsaCertificatePem, InteropCertificates.EcdsaKeyPem);
        Assert.Equal(TlsPublicKeyType.EcdsaP256, ecdsa.Key.KeyType);
        TlsCertificateCredential rsa = TlsCertificateCredential.FromPem(InteropCertificates.RsaCertificatePem, InteropCertificates.RsaKeyPem);
        Assert.Equal(TlsPublicKeyType.Rsa, rsa.Key.KeyType);
        Assert.Single(rsa.CertificateChain);
    }

    [Fact]
    public void FromPem_ReadsPkcs8Ed25519Key()
    {
        Ed25519KeyPair key = TestCertificates.Ed25519ServerKey;
        // RFC 8410 section 7: PrivateKeyInfo { version 0, { id-Ed25519 }, OCTET STRING { OCTET STRING seed } }.
        byte[] pkcs8 = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20, .. key.PrivateKey];
        string keyPem = PemEncoding.WriteString("PRIVATE KEY", pkcs8);
        string certificatePem = PemEncoding.WriteString("CERTIFICATE", Ed25519Certificate.CreateSelfSigned(key));

        TlsCertificateCredential credential = TlsCertificateCredential.FromPem(certificatePem, keyPem);
        Assert.Equal(TlsPublicKeyType.Ed25519, credential.Key.KeyType);
    }

    [Fact]
    public void FromPem_WithoutCertificate_IsAnArgumentError()
    {
        Assert.Throws<ArgumentException>(() => TlsCertificateCredential.FromPem(InteropCertificates.EcdsaKeyPem, InteropCertificates.EcdsaKeyPem));
        Assert.Throws<ArgumentException>(() => TlsCertificateCredential.FromPem(InteropCertificates.EcdsaCertificatePem, Encoding.ASCII.GetString([0x41])));
    }
}
