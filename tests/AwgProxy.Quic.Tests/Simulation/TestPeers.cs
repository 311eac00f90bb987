using System.Net;
using System.Net.Security;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Tests.Tls;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Quic.Tests.Simulation;

/// <summary>Options for simulated peers: real TLS with the test keys (Ed25519 server pinned by its raw public key).</summary>
internal static class TestPeers
{
    public static readonly SslApplicationProtocol Alpn = new("awgproxy/1"u8.ToArray());

    public static SocketAddress ClientAddress { get; } = new IPEndPoint(IPAddress.Parse("10.0.0.1"), 40000).Serialize();

    public static SocketAddress ServerAddress { get; } = new IPEndPoint(IPAddress.Parse("10.0.0.2"), 443).Serialize();

    public static SocketAddress Address(string ip, int port) => new IPEndPoint(IPAddress.Parse(ip), port).Serialize();

    public static RandomFill SeededRandom(int seed) => TlsTestSupport.SeededRandom(seed);

    public static ClientConnectionOptions Client(int seed = 1, TlsServerCertificatePolicy? policy = null) => new()
    {
        Tls = new TlsClientOptions
        {
            ApplicationProtocols = [Alpn],
            ServerName = "server",
            ServerCertificatePolicy = policy ?? TlsServerCertificatePolicy.PinnedPublicKeys([TestCertificates.Ed25519ServerKey.PublicKey]),
            Random = SeededRandom(seed),
        },
    };

    public static ServerConnectionOptions Server(int seed = 2, TlsCertificateCredential? credential = null) => new()
    {
        Tls = new TlsServerOptions
        {
            ApplicationProtocols = [Alpn],
            ServerCredential = credential ?? TestCertificates.Ed25519Server,
            Random = SeededRandom(seed),
        },
    };
}
