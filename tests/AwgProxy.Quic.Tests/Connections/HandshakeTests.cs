using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Packets;
using AwgProxy.Quic.Tests.Simulation;
using AwgProxy.Quic.Tests.Tls;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Quic.Tests.Connections;

public class HandshakeTests
{
    [Fact]
    public void Handshake_CompletesWithAlpnAndPinnedServerKey()
    {
        using var pair = new Pair();
        pair.DriveHandshake();

        Assert.Equal(ConnectionState.Connected, pair.Client.State);
        Assert.Equal(ConnectionState.Connected, pair.Server.State);
        Assert.Equal(TestPeers.Alpn, pair.Client.NegotiatedApplicationProtocol);
        Assert.Equal(TestPeers.Alpn, pair.Server.NegotiatedApplicationProtocol);
        Assert.Equal(TestCertificates.Ed25519ServerKey.PublicKey, pair.Client.PeerCertificate!.Ed25519PublicKey);
        Assert.Contains(pair.ServerEvents, e => e.Kind == ConnectionEventKind.HandshakeConfirmed);
        Assert.Equal(ConnectionEventKind.Connected, pair.ClientEvents[0].Kind);
        Assert.Equal(1, pair.ServerEndpoint.ConnectionCount);
    }

    [Fact]
    public void Handshake_WithEcdsaCertificatePinnedBySubjectPublicKeyInfo_Completes()
    {
        TlsCertificateCredential credential = TestCertificates.Ecdsa;
        ClientConnectionOptions client = TestPeers.Client(policy: TlsServerCertificatePolicy.PinnedPublicKeys([TestCertificates.SubjectPublicKeyInfo(credential)]));
        using var pair = new Pair(client: client, server: TestPeers.Server(credential: credential));
        pair.DriveHandshake();

        Assert.Equal(TlsPublicKeyType.EcdsaP256, pair.Client.PeerCertificate!.KeyType);
    }

    [Fact]
    public void Handshake_BothSidesReportTheNegotiatedCipherSuiteAndGroup()
    {
        using var pair = new Pair();
        Assert.Null(pair.Connect().NegotiatedCipherSuite);
        pair.DriveHandshake();

        Assert.Equal(CipherSuitePreference.Default[0], pair.Client.NegotiatedCipherSuite);
        Assert.Equal(CipherSuitePreference.Default[0], pair.Server.NegotiatedCipherSuite);
        Assert.Equal(NamedGroup.X25519, pair.Client.NegotiatedKeyExchangeGroup);
        Assert.Equal(NamedGroup.X25519, pair.Server.NegotiatedKeyExchangeGroup);
    }

    [Fact]
    public void ServerOnlyChaCha20AndP256_BothSidesReportThem()
    {
        ServerConnectionOptions server = TestPeers.Server();
        server.Tls!.CipherSuites = [CipherSuite.TLS_CHACHA20_POLY1305_SHA256];
        server.Tls.Groups = [NamedGroup.Secp256r1];
        using var pair = new Pair(server: server);
        pair.DriveHandshake();

        Assert.Equal(CipherSuite.TLS_CHACHA20_POLY1305_SHA256, pair.Client.NegotiatedCipherSuite);
        Assert.Equal(CipherSuite.TLS_CHACHA20_POLY1305_SHA256, pair.Server.NegotiatedCipherSuite);
        Assert.Equal(NamedGroup.Secp256r1, pair.Client.NegotiatedKeyExchangeGroup);
        Assert.Equal(NamedGroup.Secp256r1, pair.Server.NegotiatedKeyExchangeGroup);
    }

    [Fact]
    public void AcceptAnyServerCertificatePolicy_ConnectsToAnUnpinnedServer()
    {
#pragma warning disable AWGQUIC0001
        ClientConnectionOptions client = TestPeers.Client(policy: TlsServerCertificatePolicy.DangerousAcceptAnyServerCertificate());
#pragma warning restore AWGQUIC0001
        using var pair = new Pair(client: client, server: TestPeers.Server(credential: TestCertificates.Ecdsa));
        pair.DriveHandshake();

        Assert.Equal(TlsPublicKeyType.EcdsaP256, pair.Client.PeerCertificate!.KeyType);
    }

    [Fact]
    public void PinnedPolicy_RefusesTheServerTheAcceptAnyPolicyWouldTake()
    {
        using var pair = new Pair(server: TestPeers.Server(credential: TestCertificates.Ecdsa));
        pair.Connect();
        pair.Drive(() => pair.Client.State == ConnectionState.Closed || pair.Client.State == ConnectionState.Closing || pair.Client.State == ConnectionState.Draining, TimeSpan.FromSeconds(5), "The client refusing the server");

        Assert.Equal(AlertDescription.BadCertificate, pair.Client.Error!.TlsAlert);
    }

    [Fact]
    public void ClientX25519Share_ServerOnlyP256_CompletesAfterHelloRetryRequest()
    {
        ServerConnectionOptions server = TestPeers.Server();
        server.Tls!.Groups = [NamedGroup.Secp256r1];
        using var pair = new Pair(server: server);
        pair.DriveHandshake();

        Assert.True(pair.Client.TlsSession.HelloRetryRequested);
        Assert.Equal(NamedGroup.Secp256r1, pair.Client.TlsSession.KeyExchangeGroup);

        // Only the first ClientHello sits at CRYPTO offset 0; the second one follows the first in the stream.
        Assert.Single(pair.ToServer.Log, d => d.ContainsClientHello);
    }

    [Fact]
    public void ClientInitialDatagrams_AreAtLeast1200Bytes()
    {
        using var pair = new Pair(seed: 5);
        pair.DriveHandshake();
        ConnectionId original = PacketInspector.LongHeaderIds(pair.ToServer.Log[0].Payload).Destination;

        List<SimulatedDatagram> initials = pair.ToServer.Log.Where(d => PacketInspector.StartsWithLongHeader(d.Payload, PacketType.Initial)).ToList();
        Assert.True(initials.Count >= 2, "the ClientHello and the ACK of the server's Initial");
        Assert.All(initials, d => Assert.True(d.Payload.Length >= 1200, $"a {d.Payload.Length}-byte Initial datagram"));

        // ContainsClientHello is set exactly on the datagrams that carry the ClientHello at offset 0.
        Assert.All(pair.ToServer.Log, d => Assert.Equal(PacketInspector.CarriesClientHello(d.Payload, original), d.ContainsClientHello));
        Assert.True(pair.ToServer.Log[0].ContainsClientHello);
    }

    [Fact]
    public void FirstClientHelloLost_RetransmissionIsFlaggedAndHandshakeCompletes()
    {
        using var pair = new Pair(seed: 6);
        int sent = 0;
        pair.ToServer.Filter = _ => sent++ > 0;
        pair.DriveHandshake(TimeSpan.FromSeconds(5));
        ConnectionId original = PacketInspector.LongHeaderIds(pair.ToServer.Log[0].Payload).Destination;

        List<SimulatedDatagram> flagged = pair.ToServer.Log.Where(d => d.ContainsClientHello).ToList();
        Assert.Equal(2, flagged.Count);
        Assert.All(flagged, d => Assert.True(PacketInspector.CarriesClientHello(d.Payload, original)));
        Assert.All(pair.ToServer.Log, d => Assert.Equal(PacketInspector.CarriesClientHello(d.Payload, original), d.ContainsClientHello));
    }

    [Fact]
    public void ServerBeforeAddressValidation_SendsAtMostThreeTimesWhatItReceived()
    {
        // An RSA certificate makes the server's flight large; the client's second flight is withheld.
        using var pair = new Pair(seed: 7, server: TestPeers.Server(credential: TestCertificates.Rsa), client: TestPeers.Client(policy: TlsServerCertificatePolicy.PinnedPublicKeys([TestCertificates.SubjectPublicKeyInfo(TestCertificates.Rsa)])));
        pair.Connect();
        pair.ClientSends = false;
        pair.RunFor(TimeSpan.FromSeconds(10));

        Assert.Equal(1, pair.ToServer.DatagramsSent);
        Assert.True(pair.ToClient.BytesSent <= 3 * pair.ToServer.BytesSent, $"server sent {pair.ToClient.BytesSent} bytes for {pair.ToServer.BytesSent} received");

        // Its probe timeouts used the budget up: the limit, not a lack of data, stopped it.
        Assert.True(pair.ToClient.BytesSent > (3 * pair.ToServer.BytesSent) - 1200, $"server sent only {pair.ToClient.BytesSent} bytes");

        // Once the client speaks again, the handshake completes.
        pair.ClientSends = true;
        pair.DriveHandshake(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void ClientAuthentication_ServerGetsTheValidatorIdentity()
    {
        ClientConnectionOptions client = TestPeers.Client();
        client.Tls!.ClientCredential = TestCertificates.Ed25519Client;
        ServerConnectionOptions server = TestPeers.Server();
        server.Tls!.RequireClientCertificate = true;
        server.Tls.ClientCertificateValidator = certificate =>
            certificate.Ed25519PublicKey is { } key && key.AsSpan().SequenceEqual(TestCertificates.Ed25519ClientKey.PublicKey) ? "alice" : null;
        using var pair = new Pair(client: client, server: server);
        pair.DriveHandshake();

        Assert.Equal("alice", pair.Server.ClientIdentity);
        Assert.Equal(TestCertificates.Ed25519ClientKey.PublicKey, pair.Server.PeerCertificate!.Ed25519PublicKey);
    }

    [Fact]
    public void ClientCertificateRefused_ClientSeesBadCertificateClose()
    {
        ClientConnectionOptions client = TestPeers.Client();
        client.Tls!.ClientCredential = TestCertificates.Ed25519Client;
        ServerConnectionOptions server = TestPeers.Server();
        server.Tls!.RequireClientCertificate = true;
        server.Tls.ClientCertificateValidator = _ => null;
        using var pair = new Pair(client: client, server: server);
        pair.Connect();
        pair.Drive(() => pair.Client.Error is not null, TimeSpan.FromSeconds(5), "The client learning of the refusal");

        ConnectionError error = pair.Client.Error!;
        Assert.False(error.IsLocal);
        Assert.Equal(AlertDescription.BadCertificate, error.TlsAlert);
        Assert.Equal(AlertDescription.BadCertificate, pair.Server.Error!.TlsAlert);
        Assert.True(pair.Server.Error.IsLocal);
        Assert.Null(pair.Server.ClientIdentity);
    }

    [Fact]
    public void ClientWithoutCertificate_ServerRequiringOne_ClientSeesCertificateRequired()
    {
        ServerConnectionOptions server = TestPeers.Server();
        server.Tls!.RequireClientCertificate = true;
        server.Tls.ClientCertificateValidator = _ => "anyone";
        using var pair = new Pair(server: server);
        pair.Connect();
        pair.Drive(() => pair.Client.Error is not null, TimeSpan.FromSeconds(5), "The client learning of the refusal");

        Assert.Equal(AlertDescription.CertificateRequired, pair.Client.Error!.TlsAlert);
        Assert.Equal(ConnectionErrorKind.Transport, pair.Client.Error.Kind);
    }

    [Fact]
    public void WrongServerPin_ClientRefusesWithBadCertificate()
    {
        ClientConnectionOptions client = TestPeers.Client(policy: TlsServerCertificatePolicy.PinnedPublicKeys([TestCertificates.Ed25519ClientKey.PublicKey]));
        using var pair = new Pair(client: client);
        pair.Connect();
        pair.Drive(() => pair.HasServer && pair.Server.Error is not null, TimeSpan.FromSeconds(5), "The server learning of the refusal");

        Assert.True(pair.Client.Error!.IsLocal);
        Assert.Equal(AlertDescription.BadCertificate, pair.Client.Error.TlsAlert);
        Assert.False(pair.Server.Error!.IsLocal);
        Assert.Equal(AlertDescription.BadCertificate, pair.Server.Error.TlsAlert);
        Assert.DoesNotContain(pair.ClientEvents, e => e.Kind == ConnectionEventKind.Connected);

        // Both sides drain and the endpoints forget the connections.
        pair.Drive(() => pair.Client.State == ConnectionState.Closed && pair.Server.State == ConnectionState.Closed, TimeSpan.FromSeconds(10), "Draining");
        Assert.Equal(0, pair.ClientEndpoint.ConnectionCount);
        Assert.Equal(0, pair.ServerEndpoint.ConnectionCount);
    }

    [Fact]
    public void AlpnMismatch_ClosesWithNoApplicationProtocol()
    {
        ServerConnectionOptions server = TestPeers.Server();
        server.Tls!.ApplicationProtocols = [new System.Net.Security.SslApplicationProtocol("other/1"u8.ToArray())];
        using var pair = new Pair(server: server);
        pair.Connect();
        pair.Drive(() => pair.Client.Error is not null, TimeSpan.FromSeconds(5), "The client learning of the failure");

        Assert.Equal(AlertDescription.NoApplicationProtocol, pair.Client.Error!.TlsAlert);
        Assert.False(pair.Client.Error.IsLocal);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    public void HandshakeUnderHeavyLoss_Completes(int seed)
    {
        using var pair = new Pair(seed: seed);
        pair.ToServer.LossRate = 0.3;
        pair.ToClient.LossRate = 0.3;
        pair.DriveHandshake(TimeSpan.FromSeconds(30));

        Assert.Equal(ConnectionState.Connected, pair.Server.State);
    }
}
