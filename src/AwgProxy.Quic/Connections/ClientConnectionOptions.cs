using AwgProxy.Quic.Tls;

namespace AwgProxy.Quic.Connections;

/// <summary>Options of a client connection: the transport settings and the TLS client options (ALPN, server pin, client credential).</summary>
public sealed class ClientConnectionOptions : ConnectionOptions
{
    /// <summary>
    /// The TLS settings. Their <see cref="TlsSessionOptions.TransportParameters"/> is ignored: the connection
    /// encodes its own from these options.
    /// </summary>
    public TlsClientOptions? Tls { get; set; }

    private protected override TlsSessionOptions? TlsOptions => Tls;
}
