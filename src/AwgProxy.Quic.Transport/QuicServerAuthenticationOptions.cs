using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Quic.Transport;

/// <summary>
/// The TLS side of the connections a listener accepts: the server's certificate and key, and TLS client
/// authentication. ALPN is <see cref="QuicListenerOptions.ApplicationProtocols"/>.
/// </summary>
public sealed class QuicServerAuthenticationOptions
{
    /// <summary>The server's certificate chain and key. Required.</summary>
    public TlsCertificateCredential? ServerCertificate { get; set; }

    /// <summary>
    /// Judges a client's certificate: returns the identity it stands for (exposed as
    /// <see cref="QuicConnection.ClientIdentity"/>) or null to refuse it. Setting it makes the server ask for
    /// client certificates. Must not throw.
    /// </summary>
    public Func<TlsPeerCertificate, object?>? ClientCertificateValidator { get; set; }

    /// <summary>Refuse clients that present no certificate (needs <see cref="ClientCertificateValidator"/>).</summary>
    public bool ClientCertificateRequired { get; set; }

    /// <summary>Cipher suites in preference order; null for the default.</summary>
    public IReadOnlyList<CipherSuite>? CipherSuites { get; set; }

    /// <summary>Key exchange groups in preference order; null for the default (x25519, secp256r1).</summary>
    public IReadOnlyList<NamedGroup>? Groups { get; set; }

    internal TlsServerOptions ToTlsOptions(IReadOnlyList<System.Net.Security.SslApplicationProtocol> applicationProtocols)
    {
        var tls = new TlsServerOptions
        {
            ApplicationProtocols = [.. applicationProtocols],
            ServerCredential = ServerCertificate,
            ClientCertificateValidator = ClientCertificateValidator,
            RequestClientCertificate = ClientCertificateValidator is not null,
            RequireClientCertificate = ClientCertificateRequired,
        };
        if (CipherSuites is not null) tls.CipherSuites = [.. CipherSuites];
        if (Groups is not null) tls.Groups = [.. Groups];
        return tls;
    }
}
