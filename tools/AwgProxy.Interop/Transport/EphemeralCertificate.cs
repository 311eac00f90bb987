using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AwgProxy.Interop.Transport;

/// <summary>
/// A throwaway self-signed ECDSA P-256 certificate for "localhost", 127.0.0.1 and ::1, valid from an hour
/// ago for a day (what quicgo-peer generates when <c>-cert</c> is not given), written as PEM files into a
/// fresh temporary directory that <see cref="Dispose"/> deletes.
/// </summary>
public sealed class EphemeralCertificate : IDisposable
{
    private readonly DirectoryInfo _directory;

    private EphemeralCertificate(DirectoryInfo directory, string certificatePath, string keyPath)
    {
        _directory = directory;
        CertificatePemPath = certificatePath;
        PrivateKeyPemPath = keyPath;
    }

    public string CertificatePemPath { get; }

    public string PrivateKeyPemPath { get; }

    public static EphemeralCertificate Create()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 certificate = request.CreateSelfSigned(now.AddHours(-1), now.AddHours(24));

        DirectoryInfo directory = Directory.CreateTempSubdirectory("awgproxy-interop-");
        string certificatePath = Path.Combine(directory.FullName, "cert.pem");
        string keyPath = Path.Combine(directory.FullName, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        return new EphemeralCertificate(directory, certificatePath, keyPath);
    }

    public void Dispose()
    {
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
    }
}
