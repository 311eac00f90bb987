using System.Net;
using System.Net.Security;
using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Quic.Transport.Paths;

namespace AwgProxy.Quic.Transport.Tests.Support;

/// <summary>Identities and options for test peers: an Ed25519 server pinned by its public key, an Ed25519 client.</summary>
internal static class TestPeers
{
    /// <summary>How long a test waits for anything before failing (a bound against hangs, never an assertion on speed).</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static readonly SslApplicationProtocol Alpn = new("awgproxy-test"u8.ToArray());

    public static Ed25519KeyPair ServerKey { get; } = Ed25519KeyPair.Generate();

    public static TlsCertificateCredential ServerCredential { get; } = TlsCertificateCredential.FromEd25519(ServerKey, "server");

    public static Ed25519KeyPair ClientKey { get; } = Ed25519KeyPair.Generate();

    public static TlsCertificateCredential ClientCredential { get; } = TlsCertificateCredential.FromEd25519(ClientKey, "client");

    public static QuicListenerOptions Listener(
        IPEndPoint? listenEndPoint = null,
        Func<IPEndPoint, IDatagramPath>? pathFactory = null,
        Action<QuicServerConnectionOptions>? configure = null)
    {
        var connection = new QuicServerConnectionOptions
        {
            ServerAuthenticationOptions = new QuicServerAuthenticationOptions { ServerCertificate = ServerCredential },
        };
        configure?.Invoke(connection);
        return new QuicListenerOptions
        {
            ListenEndPoint = listenEndPoint ?? new IPEndPoint(IPAddress.Loopback, 0),
            ApplicationProtocols = [Alpn],
            ConnectionOptions = connection,
            DatagramPathFactory = pathFactory,
        };
    }

    public static QuicClientConnectionOptions Client(
        EndPoint remote,
        Func<IPEndPoint, IDatagramPath>? pathFactory = null,
        byte[]? pin = null,
        Action<QuicClientConnectionOptions>? configure = null)
    {
        var options = new QuicClientConnectionOptions
        {
            RemoteEndPoint = remote,
            ClientAuthenticationOptions = new QuicClientAuthenticationOptions
            {
                ApplicationProtocols = [Alpn],
                ServerCertificatePolicy = TlsServerCertificatePolicy.PinnedPublicKeys([pin ?? ServerKey.PublicKey]),
            },
            DatagramPathFactory = pathFactory,
        };
        configure?.Invoke(options);
        return options;
    }
}
