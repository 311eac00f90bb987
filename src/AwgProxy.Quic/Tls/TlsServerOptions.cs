using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Quic.Tls;

/// <summary>Configuration of a <see cref="TlsServerSession"/>.</summary>
public sealed class TlsServerOptions : TlsSessionOptions
{
    /// <summary>The server's certificate chain and key. Required.</summary>
    public TlsCertificateCredential? ServerCredential { get; set; }

    /// <summary>Send a CertificateRequest (RFC 8446 section 4.3.2). Needs <see cref="ClientCertificateValidator"/>.</summary>
    public bool RequestClientCertificate { get; set; }

    /// <summary>
    /// Refuse clients that send no certificate (certificate_required). Implies <see cref="RequestClientCertificate"/>.
    /// </summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>
    /// Judges a client certificate: returns the identity it stands for (any object, e.g. the configured
    /// client entry; exposed as <see cref="TlsServerSession.ClientIdentity"/> once the handshake
    /// completes) or null to refuse it (bad_certificate). Called before the client's CertificateVerify is
    /// checked: the identity counts only when the handshake completes. Must not throw.
    /// </summary>
    public Func<TlsPeerCertificate, object?>? ClientCertificateValidator { get; set; }

    internal void Validate()
    {
        if (ServerCredential is null) throw new ArgumentException("A server credential is required.", nameof(ServerCredential));
        if ((RequestClientCertificate || RequireClientCertificate) && ClientCertificateValidator is null)
        {
            throw new ArgumentException("Client certificates need a validator.", nameof(ClientCertificateValidator));
        }
    }
}
