using System.Net;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Quic.Tls;

/// <summary>Configuration of a <see cref="TlsClientSession"/>.</summary>
public sealed class TlsClientOptions : TlsSessionOptions
{
    /// <summary>
    /// The server's host name: sent as SNI (RFC 6066; not for IP literals) and, with
    /// <see cref="TlsServerCertificatePolicy.CertificateAuthorities"/>, matched against the certificate.
    /// </summary>
    public string? ServerName { get; set; }

    /// <summary>
    /// The groups that get a key_share in the first ClientHello (a subset of <see cref="TlsSessionOptions.Groups"/>;
    /// default x25519 only, so a server that wants secp256r1 answers with a HelloRetryRequest).
    /// </summary>
    public IReadOnlyList<NamedGroup> KeyShareGroups { get; set; } = [NamedGroup.X25519];

    /// <summary>How the server's certificate is judged. Required.</summary>
    public TlsServerCertificatePolicy? ServerCertificatePolicy { get; set; }

    /// <summary>The certificate to answer a CertificateRequest with; null sends an empty Certificate.</summary>
    public TlsCertificateCredential? ClientCredential { get; set; }

    internal void Validate()
    {
        if (ServerCertificatePolicy is null) throw new ArgumentException("A server certificate policy is required.", nameof(ServerCertificatePolicy));
        if (ServerCertificatePolicy.RequiresServerName && string.IsNullOrEmpty(ServerName))
        {
            throw new ArgumentException("Certificate authority verification needs the server name.", nameof(ServerName));
        }

        if (ServerName is not null)
        {
            if (ServerName.Length is 0 or > 253 || ServerName.Any(c => c is < '!' or > '~') || ServerName.EndsWith('.'))
            {
                throw new ArgumentException("Not a host name.", nameof(ServerName));
            }
        }

        if (KeyShareGroups is null) throw new ArgumentException("Required.", nameof(KeyShareGroups));
        if (KeyShareGroups.Distinct().Count() != KeyShareGroups.Count) throw new ArgumentException("Groups repeat.", nameof(KeyShareGroups));
        foreach (NamedGroup group in KeyShareGroups)
        {
            if (Groups is null || !Groups.Contains(group)) throw new ArgumentException($"{group} is not in Groups.", nameof(KeyShareGroups));
        }
    }

    /// <summary>The SNI host name: <see cref="ServerName"/> unless it is an IP literal (RFC 6066 section 3).</summary>
    internal string? SniHostName => ServerName is null || IPAddress.TryParse(ServerName, out _) ? null : ServerName;
}
