using AwgProxy.Quic.Tls;

namespace AwgProxy.Quic.Connections;

/// <summary>Options of the connections a server endpoint accepts: the transport settings and the TLS server options.</summary>
public sealed class ServerConnectionOptions : ConnectionOptions
{
    /// <summary>
    /// The TLS settings (credential, ALPN, client authentication). Their
    /// <see cref="TlsSessionOptions.TransportParameters"/> is ignored.
    /// </summary>
    public TlsServerOptions? Tls { get; set; }

    private protected override TlsSessionOptions? TlsOptions => Tls;
}
