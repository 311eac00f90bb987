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
/// The TLS layer has no policy that accepts any server certificate (by design: the proxy always pins or verifies),
/// so a client without <c>-ca</c> cannot verify the server and fails with a message that says so; run it with
/// <c>-ca</c> pointing at the server's certificate or its root.
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
            throw new InvalidOperationException(
                "this transport always verifies the server: pass -ca with the server's certificate or root (the TLS layer has no accept-any policy)");
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
