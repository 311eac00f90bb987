using System.Net;
using System.Net.Security;
using AwgProxy.Quic;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Streams;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Benchmarks;

/// <summary>
/// A client and a server endpoint connected in memory (instant delivery, virtual time), with one bidirectional
/// stream the client writes and the server reads. <see cref="SendPacket"/> and <see cref="DeliverToServer"/> are
/// the two halves of the data path; <see cref="ExchangeAcks"/> returns the server's ACKs to the client.
/// </summary>
internal sealed class ConnectedPair : IDisposable
{
    private static readonly SslApplicationProtocol Alpn = new("awgproxy/bench"u8.ToArray());

    private readonly byte[] _buffer = new byte[2048];
    private readonly byte[] _response = new byte[2048];
    private readonly byte[] _read = new byte[64 * 1024];
    private readonly SocketAddress _clientAddress = new IPEndPoint(IPAddress.Parse("10.0.0.1"), 40000).Serialize();
    private readonly SocketAddress _serverAddress = new IPEndPoint(IPAddress.Parse("10.0.0.2"), 443).Serialize();
    private readonly Endpoint _clientEndpoint;
    private readonly Endpoint _serverEndpoint;

    public ConnectedPair(CipherSuite suite = CipherSuite.TLS_AES_128_GCM_SHA256)
    {
        var random = new Random(7);
        RandomFill fill = destination => random.NextBytes(destination);
        var serverKey = Ed25519KeyPair.FromPrivateKey(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var server = new ServerConnectionOptions
        {
            Tls = new TlsServerOptions
            {
                ApplicationProtocols = [Alpn],
                ServerCredential = TlsCertificateCredential.FromEd25519(serverKey, "server"),
                CipherSuites = [suite],
                Random = fill,
            },
        };
        var client = new ClientConnectionOptions
        {
            Tls = new TlsClientOptions
            {
                ApplicationProtocols = [Alpn],
                ServerName = "server",
                ServerCertificatePolicy = TlsServerCertificatePolicy.PinnedPublicKeys([serverKey.PublicKey]),
                CipherSuites = [suite],
                Random = fill,
            },
        };
        _serverEndpoint = new Endpoint(new EndpointOptions { Server = server, Random = fill });
        _clientEndpoint = new Endpoint(new EndpointOptions { Random = fill });
        Client = _clientEndpoint.Connect(Now, client, _serverAddress);
        for (int round = 0; round < 100 && !(Server is { State: ConnectionState.Connected } && Client.State == ConnectionState.Connected); round++)
        {
            Flush();
            Now += TimeSpan.FromMilliseconds(1);
        }

        if (Server is null || Server.State != ConnectionState.Connected || Client.State != ConnectionState.Connected)
            throw new InvalidOperationException("The in-memory handshake did not complete.");
        if (!Client.TryOpenStream(StreamDirection.Bidirectional, out ulong id))
            throw new InvalidOperationException("No stream.");
        StreamId = id;
        Flush();
    }

    public Instant Now { get; private set; } = Instant.FromMilliseconds(1000);

    public Connection Client { get; }

    public Connection? Server { get; private set; }

    public ulong StreamId { get; }

    /// <summary>Advances virtual time (the connections see it on their next call).</summary>
    public void Advance(TimeSpan span) => Now += span;

    /// <summary>Polls the client for one datagram into <paramref name="datagram"/>; its length, or 0 when it has nothing to send.</summary>
    public int SendPacket(Span<byte> datagram) => Client.TryPollTransmit(Now, datagram, out Transmit transmit) ? transmit.Length : 0;

    /// <summary>Feeds one client datagram to the server endpoint and drains the stream on the server.</summary>
    public void DeliverToServer(Span<byte> datagram)
    {
        _serverEndpoint.HandleDatagram(Now, _clientAddress, datagram, EcnCodepoint.NotEct, _response, out _);
        Connection server = Server!;
        while (server.TryPollEvent(out _))
        {
        }

        while (server.StreamRead(StreamId, _read, out _) > 0)
        {
        }
    }

    /// <summary>Lets the server send what it has (ACKs, window updates) to the client, and fires due timers.</summary>
    public void ExchangeAcks()
    {
        Connection server = Server!;
        if (server.NextTimeout <= Now) server.HandleTimeout(Now);
        while (server.TryPollTransmit(Now, _buffer, out Transmit transmit))
        {
            _clientEndpoint.HandleDatagram(Now, _serverAddress, _buffer.AsSpan(0, transmit.Length), EcnCodepoint.NotEct, _response, out _);
        }

        while (Client.TryPollEvent(out _))
        {
        }

        if (Client.NextTimeout <= Now) Client.HandleTimeout(Now);
    }

    private void Flush()
    {
        for (int round = 0; round < 16; round++)
        {
            bool any = false;
            while (Client.TryPollTransmit(Now, _buffer, out Transmit transmit))
            {
                any = true;
                EndpointReceiveResult result = _serverEndpoint.HandleDatagram(Now, _clientAddress, _buffer.AsSpan(0, transmit.Length), EcnCodepoint.NotEct, _response, out _);
                if (result.Kind == EndpointReceiveKind.NewConnection) Server = result.Connection;
            }

            if (Server is { } server)
            {
                while (server.TryPollTransmit(Now, _buffer, out Transmit transmit))
                {
                    any = true;
                    _clientEndpoint.HandleDatagram(Now, _serverAddress, _buffer.AsSpan(0, transmit.Length), EcnCodepoint.NotEct, _response, out _);
                }

                while (server.TryPollEvent(out _))
                {
                }
            }

            while (Client.TryPollEvent(out _))
            {
            }

            if (!any) return;
        }
    }

    public void Dispose()
    {
        _clientEndpoint.Dispose();
        _serverEndpoint.Dispose();
    }
}
