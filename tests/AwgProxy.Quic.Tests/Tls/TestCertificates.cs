using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Quic.Tls.Signatures;

namespace AwgProxy.Quic.Tests.Tls;

/// <summary>Certificates made in-test with CertificateRequest and the Ed25519 builder (fixed dates, no clock).</summary>
internal static class TestCertificates
{
    public static readonly DateTimeOffset NotBefore = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset NotAfter = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A time inside every test certificate's validity, for CA verification.</summary>
    public static readonly DateTimeOffset VerificationTime = new(2030, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<TlsCertificateCredential> LazyEcdsa = new(() => CreateEcdsa("localhost"));
    private static readonly Lazy<TlsCertificateCredential> LazyEcdsaClient = new(() => CreateEcdsa("client"));
    private static readonly Lazy<TlsCertificateCredential> LazyRsa = new(CreateRsa);
    private static readonly Lazy<Ed25519KeyPair> LazyEd25519Server = new(() => Ed25519KeyPair.FromPrivateKey(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()));
    private static readonly Lazy<Ed25519KeyPair> LazyEd25519Client = new(() => Ed25519KeyPair.FromPrivateKey(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray()));
    private static readonly Lazy<(X509Certificate2 Root, TlsCertificateCredential Leaf)> LazyCa = new(CreateCaChain);

    public static TlsCertificateCredential Ecdsa => LazyEcdsa.Value;

    public static TlsCertificateCredential EcdsaClient => LazyEcdsaClient.Value;

    public static TlsCertificateCredential Rsa => LazyRsa.Value;

    public static Ed25519KeyPair Ed25519ServerKey => LazyEd25519Server.Value;

    public static Ed25519KeyPair Ed25519ClientKey => LazyEd25519Client.Value;

    public static TlsCertificateCredential Ed25519Server => TlsCertificateCredential.FromEd25519(Ed25519ServerKey, "server");

    public static TlsCertificateCredential Ed25519Client => TlsCertificateCredential.FromEd25519(Ed25519ClientKey, "client");

    /// <summary>A CA root and a leaf it signed for "server.test" (serverAuth).</summary>
    public static X509Certificate2 CaRoot => LazyCa.Value.Root;

    public static TlsCertificateCredential CaSignedLeaf => LazyCa.Value.Leaf;

    /// <summary>The DER SubjectPublicKeyInfo of a credential's leaf, as used for pins.</summary>
    public static byte[] SubjectPublicKeyInfo(TlsCertificateCredential credential)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(credential.CertificateChain[0]);
        return certificate.PublicKey.ExportSubjectPublicKeyInfo();
    }

    private static TlsCertificateCredential CreateEcdsa(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        using X509Certificate2 certificate = request.CreateSelfSigned(NotBefore, NotAfter);
        return new TlsCertificateCredential([certificate.RawData], TlsSigningKey.FromEcdsa(key));
    }

    private static TlsCertificateCredential CreateRsa()
    {
        var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 certificate = request.CreateSelfSigned(NotBefore, NotAfter);
        return new TlsCertificateCredential([certificate.RawData], TlsSigningKey.FromRsa(key));
    }

    private static (X509Certificate2, TlsCertificateCredential) CreateCaChain()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Test Root CA", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        X509Certificate2 root = rootRequest.CreateSelfSigned(NotBefore, NotAfter);

        var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=server.test", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("server.test");
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using X509Certificate2 leaf = leafRequest.Create(root, NotBefore.AddDays(1), NotAfter.AddDays(-1), [1, 2, 3, 4, 5, 6, 7, 8]);
        return (root, new TlsCertificateCredential([leaf.RawData], TlsSigningKey.FromEcdsa(leafKey)));
    }
}
