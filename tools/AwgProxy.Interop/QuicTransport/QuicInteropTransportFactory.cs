using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using AwgProxy.Interop.Transport;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Quic.Transport;

namespace AwgProxy.Interop.QuicTransport;

/// <summary>
/// The interop tool's transport over <see cref="QuicListener"/>, <see cref="QuicConnection"/> and <see cref="QuicStream"/>
/// on plain UDP (no AWG envelope). Flags map onto the transport's options: ALPN, SNI, groups, cipher suites, idle
/// timeout, receive windows, Retry. Key log and qlog paths are ignored (the transport writes neither).
/// </summary>
/// <remarks>
/// Without <c>-ca</c> the client accepts any server certificate, as quicgo-peer and gtlsclient do, through
/// <see cref="TlsServerCertificatePolicy.DangerousAcceptAnyServerCertificate"/>: a policy that exists for test tools
/// like this one only (the proxy always pins or verifies). With <c>-ca</c> the server must chain to that root and
/// name the <c>-sni</c> host.
/// </remarks>
public sealed class QuicInteropTransportFactory : IInteropTransportFactory
{
    /// <summary>Peer streams allowed at once: HTTP/3 needs at least 3 unidirectional ones (control, QPACK encoder, decoder).</summary>
    private const int MaxInboundStreams = 100;

    public async ValueTask<IInteropConnection> ConnectAsync(InteropClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var authentication = new QuicClientAuthenticationOptions
        {
            ApplicationProtocols = [.. options.ApplicationProtocols.Select(p => new SslApplicationProtocol(p))],
            TargetHost = options.ServerName,
            ServerCertificatePolicy = ServerPolicy(options.CaCertificatePemPath),
            CipherSuites = options.CipherSuites.Count > 0 ? options.CipherSuites : null,
            Groups = options.Groups.Count > 0 ? [.. options.Groups.Select(g => (NamedGroup)(ushort)g)] : null,
        };
        var connectionOptions = new QuicClientConnectionOptions
        {
            RemoteEndPoint = options.RemoteEndPoint,
            ClientAuthenticationOptions = authentication,
        };
        Configure(connectionOptions, options.IdleTimeout, options.MaxStreamReceiveWindow, options.MaxConnectionReceiveWindow);
        QuicConnection connection = await QuicConnection.ConnectAsync(connectionOptions, cancellationToken).ConfigureAwait(false);
        return new QuicInteropConnection(connection);
    }

    public async ValueTask<IInteropListener> ListenAsync(InteropServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        TlsCertificateCredential credential = TlsCertificateCredential.FromPem(
            await File.ReadAllTextAsync(options.CertificatePemPath, cancellationToken).ConfigureAwait(false),
            await File.ReadAllTextAsync(options.PrivateKeyPemPath, cancellationToken).ConfigureAwait(false));
        var connectionOptions = new QuicServerConnectionOptions
        {
            ServerAuthenticationOptions = new QuicServerAuthenticationOptions
            {
                ServerCertificate = credential,
                CipherSuites = options.CipherSuites.Count > 0 ? options.CipherSuites : null,
                Groups = options.Groups.Count > 0 ? [.. options.Groups.Select(g => (NamedGroup)(ushort)g)] : null,
            },
        };
        Configure(connectionOptions, options.IdleTimeout, options.MaxStreamReceiveWindow, options.MaxConnectionReceiveWindow);
        QuicListener listener = await QuicListener.ListenAsync(
            new QuicListenerOptions
            {
                ListenEndPoint = options.ListenEndPoint,
                ApplicationProtocols = [.. options.ApplicationProtocols.Select(p => new SslApplicationProtocol(p))],
                ConnectionOptions = connectionOptions,
                RequireRetry = options.Retry,
            },
            cancellationToken).ConfigureAwait(false);
        return new QuicInteropListener(listener);
    }

    private static TlsServerCertificatePolicy ServerPolicy(string? caPemPath)
    {
        if (caPemPath is null)
        {
            // An interop test tool, never the proxy: the peers' throwaway certificates are not verified without -ca.
#pragma warning disable AWGQUIC0001
            return TlsServerCertificatePolicy.DangerousAcceptAnyServerCertificate();
#pragma warning restore AWGQUIC0001
        }

        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(caPemPath);
        try
        {
            return TlsServerCertificatePolicy.CertificateAuthorities(roots);
        }
        finally
        {
            foreach (X509Certificate2 root in roots) root.Dispose();
        }
    }

    private static void Configure(QuicConnectionOptions options, TimeSpan idleTimeout, ulong maxStreamWindow, ulong maxConnectionWindow)
    {
        options.IdleTimeout = idleTimeout;
        options.MaxInboundBidirectionalStreams = MaxInboundStreams;
        options.MaxInboundUnidirectionalStreams = MaxInboundStreams;
        if (maxStreamWindow > 0) options.InitialReceiveWindowSizes.MaxStream = (int)Math.Min(maxStreamWindow, int.MaxValue);
        if (maxConnectionWindow > 0) options.InitialReceiveWindowSizes.MaxConnection = (int)Math.Min(maxConnectionWindow, int.MaxValue);
    }
}
