using System.Net.Security;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Quic.Tls.Messages;

namespace AwgProxy.Quic.Tests.Tls;

/// <summary>
/// Two sessions in memory: every WriteData event of one is fed, at its level, to the other, until
/// neither has anything left to say. Optional mutators see (and may rewrite) each flight on the way.
/// </summary>
internal sealed class HandshakeHarness : IDisposable
{
    public static readonly SslApplicationProtocol Alpn = new("awgproxy/1"u8.ToArray());
    public static readonly byte[] ClientTransportParameters = [0x01, 0x02, 0x40, 0x64];
    public static readonly byte[] ServerTransportParameters = [0x03, 0x02, 0x45, 0xAC, 0x0F, 0x00];

    public HandshakeHarness(TlsClientOptions clientOptions, TlsServerOptions serverOptions)
    {
        Client = TlsSession.CreateClient(clientOptions);
        Server = TlsSession.CreateServer(serverOptions);
    }

    public TlsClientSession Client { get; }

    public TlsServerSession Server { get; }

    public List<TlsEvent> ClientEvents { get; } = [];

    public List<TlsEvent> ServerEvents { get; } = [];

    /// <summary>Rewrites client-to-server flights (level, bytes) before delivery.</summary>
    public Func<EncryptionLevel, byte[], byte[]>? ClientToServer { get; set; }

    /// <summary>Rewrites server-to-client flights (level, bytes) before delivery.</summary>
    public Func<EncryptionLevel, byte[], byte[]>? ServerToClient { get; set; }

    /// <summary>Deliver flights in chunks of this many bytes (0: whole flights).</summary>
    public int ChunkSize { get; set; }

    public static TlsClientOptions ClientOptions(TlsServerCertificatePolicy policy, int seed = 1) => new()
    {
        ApplicationProtocols = [Alpn],
        TransportParameters = (byte[])ClientTransportParameters.Clone(),
        ServerName = "localhost",
        ServerCertificatePolicy = policy,
        Random = TlsTestSupport.SeededRandom(seed),
    };

    public static TlsClientOptions ClientOptionsPinning(TlsCertificateCredential server, int seed = 1)
        => ClientOptions(TlsServerCertificatePolicy.PinnedPublicKeys([TestCertificates.SubjectPublicKeyInfo(server)]), seed);

    public static TlsServerOptions ServerOptions(TlsCertificateCredential credential, int seed = 2) => new()
    {
        ApplicationProtocols = [Alpn],
        TransportParameters = (byte[])ServerTransportParameters.Clone(),
        ServerCredential = credential,
        Random = TlsTestSupport.SeededRandom(seed),
    };

    /// <summary>Starts both sides and pumps until quiet.</summary>
    public HandshakeHarness Run()
    {
        Client.Start();
        Server.Start();
        for (int round = 0; round < 50; round++)
        {
            bool progress = Pump(Client, ClientEvents, Server, ClientToServer);
            progress |= Pump(Server, ServerEvents, Client, ServerToClient);
            if (!progress) break;
        }

        return this;
    }

    private bool Pump(TlsSession from, List<TlsEvent> log, TlsSession to, Func<EncryptionLevel, byte[], byte[]>? mutate)
    {
        bool any = false;
        while (from.TryPollEvent(out TlsEvent e))
        {
            any = true;
            log.Add(e);
            if (e.Kind != TlsEventKind.WriteData) continue;
            byte[] bytes = e.Data.ToArray();
            if (mutate is not null) bytes = mutate(e.Level, bytes);
            if (ChunkSize <= 0)
            {
                to.ProvideHandshakeData(e.Level, bytes);
                continue;
            }

            for (int offset = 0; offset < bytes.Length; offset += ChunkSize)
            {
                to.ProvideHandshakeData(e.Level, bytes.AsSpan(offset, Math.Min(ChunkSize, bytes.Length - offset)));
            }
        }

        return any;
    }

    /// <summary>The secret delivered for (level, direction), or null.</summary>
    public static byte[]? Secret(List<TlsEvent> events, EncryptionLevel level, TlsSecretDirection direction)
        => events.Where(e => e.Kind == TlsEventKind.SecretsAvailable && e.Level == level && e.Direction == direction)
            .Select(e => e.Secret.ToArray()).SingleOrDefault();

    /// <summary>Splits a flight into whole handshake messages.</summary>
    public static List<byte[]> SplitMessages(byte[] flight)
    {
        var messages = new List<byte[]>();
        int offset = 0;
        while (offset < flight.Length)
        {
            int length = HandshakeMessage.HeaderLength + ((flight[offset + 1] << 16) | (flight[offset + 2] << 8) | flight[offset + 3]);
            messages.Add(flight[offset..(offset + length)]);
            offset += length;
        }

        return messages;
    }

    /// <summary>Rewrites the message of <paramref name="type"/> in a flight (others unchanged).</summary>
    public static byte[] RewriteMessage(byte[] flight, HandshakeType type, Func<byte[], byte[]> rewrite)
        => [.. SplitMessages(flight).SelectMany(m => m[0] == (byte)type ? rewrite(m) : m)];

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
