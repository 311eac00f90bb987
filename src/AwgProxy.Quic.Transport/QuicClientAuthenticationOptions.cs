using System.Net.Security;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Quic.Transport;

/// <summary>
/// The TLS side of a client connection (the role System.Net.Security's SslClientAuthenticationOptions plays for
/// System.Net.Quic): ALPN, the server name, how the server's certificate is judged, and the client's own
/// certificate for TLS client authentication.
/// </summary>
public sealed class QuicClientAuthenticationOptions
{
    /// <summary>ALPN protocols to offer, in preference order. At least one is required (RFC 9001 section 8.1).</summary>
    public List<SslApplicationProtocol> ApplicationProtocols { get; set; } = [];

    /// <summary>
    /// The server's host name: sent as SNI and, with a certificate-authority policy, matched against its certificate.
    /// Null takes the host of a <see cref="System.Net.DnsEndPoint"/> remote end point.
    /// </summary>
    public string? TargetHost { get; set; }

    /// <summary>How the server's certificate is judged: its public key pinned, or its chain checked against roots. Required.</summary>
    public TlsServerCertificatePolicy? ServerCertificatePolicy { get; set; }

    /// <summary>The certificate and key to authenticate with when the server asks; null answers with none.</summary>
    public TlsCertificateCredential? ClientCertificate { get; set; }

    /// <summary>Cipher suites in preference order; null for the default (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305).</summary>
    public IReadOnlyList<CipherSuite>? CipherSuites { get; set; }

    /// <summary>Key exchange groups in preference order; null for the default (x25519, secp256r1).</summary>
    public IReadOnlyList<NamedGroup>? Groups { get; set; }

    /// <summary>The groups that get a key share in the first ClientHello; null for the first of <see cref="Groups"/> (x25519 by default).</summary>
    public IReadOnlyList<NamedGroup>? KeyShareGroups { get; set; }

    internal TlsClientOptions ToTlsOptions(string? serverName)
    {
        var tls = new TlsClientOptions
        {
            ApplicationProtocols = [.. ApplicationProtocols],
            ServerName = serverName,
            ServerCertificatePolicy = ServerCertificatePolicy,
            ClientCredential = ClientCertificate,
        };
        if (CipherSuites is not null) tls.CipherSuites = [.. CipherSuites];
        if (Groups is not null)
        {
            tls.Groups = [.. Groups];
            tls.KeyShareGroups = Groups.Count > 0 ? [Groups[0]] : [];
        }

        if (KeyShareGroups is not null) tls.KeyShareGroups = [.. KeyShareGroups];
        return tls;
    }
}
