using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Quic.Tls.Messages;

namespace AwgProxy.Quic.Tests.Tls;

/// <summary>
/// Seeded, bounded robustness tests at the session boundary: whatever arrives, no exception escapes,
/// and a failure is a protocol alert, never internal_error (which would mean a bug).
/// </summary>
public class SessionFuzzTests
{
    private static void AssertCleanOutcome(TlsSession session)
    {
        if (session.IsFailed) Assert.NotEqual(AlertDescription.InternalError, session.Alert);
    }

    [Fact]
    public void MutatedFlights_NeverThrowAndNeverFailInternally()
    {
        int failures = 0;
        for (int seed = 0; seed < 150; seed++)
        {
            var random = new Random(seed);
            int target = random.Next(5); // which flight to damage: CH, SH, server Handshake, client Handshake, or CH2
            int flight = 0;
            byte[] Mutate(EncryptionLevel level, byte[] bytes) => flight++ == target ? TlsTestSupport.Mutate(bytes, random) : bytes;

            // Ed25519 on both sides: signatures are deterministic, so each seed replays exactly.
            TlsCertificateCredential serverCredential = TestCertificates.Ed25519Server;
            TlsClientOptions client = HandshakeHarness.ClientOptionsPinning(serverCredential, seed);
            client.ClientCredential = TestCertificates.Ed25519Client;
            TlsServerOptions server = HandshakeHarness.ServerOptions(serverCredential, seed + 1000);
            server.RequestClientCertificate = true;
            server.ClientCertificateValidator = _ => "client";
            if (seed % 2 == 0) server.Groups = [NamedGroup.Secp256r1];

            using var h = new HandshakeHarness(client, server);
            h.ClientToServer = Mutate;
            h.ServerToClient = Mutate;
            h.Run();

            AssertCleanOutcome(h.Client);
            AssertCleanOutcome(h.Server);
            if (h.Client.IsFailed || h.Server.IsFailed) failures++;
        }

        Assert.InRange(failures, 100, 150);
    }

    [Fact]
    public void RandomBytesAtEveryLevel_NeverThrow()
    {
        var random = new Random(77);
        for (int i = 0; i < 300; i++)
        {
            using TlsServerSession server = TlsSession.CreateServer(HandshakeHarness.ServerOptions(TestCertificates.Ecdsa));
            using TlsClientSession client = TlsSession.CreateClient(HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa));
            client.Start();
            byte[] data = new byte[random.Next(1, 300)];
            random.NextBytes(data);
            if (i % 3 == 0) data[0] = (byte)(i % 2 == 0 ? HandshakeType.ClientHello : HandshakeType.ServerHello);
            var level = (EncryptionLevel)random.Next(4);

            server.ProvideHandshakeData(level, data);
            client.ProvideHandshakeData(level, data);
            AssertCleanOutcome(server);
            AssertCleanOutcome(client);
        }
    }

    [Theory]
    [InlineData((byte)HandshakeType.EncryptedExtensions)]
    [InlineData((byte)HandshakeType.Certificate)]
    [InlineData((byte)HandshakeType.CertificateVerify)]
    [InlineData((byte)HandshakeType.Finished)]
    public void EveryTruncatedServerMessage_IsDecodeErrorAtTheClient(byte messageType)
    {
        var type = (HandshakeType)messageType;
        // Take the real message once, then replay the server's flights with that message's body cut short
        // (and its length field fixed up), for every possible length. Ed25519 signatures are deterministic,
        // so every run produces the same message.
        byte[] original = ServerHandshakeMessage(type);
        int bodyLength = original.Length - HandshakeMessage.HeaderLength;
        int step = type == HandshakeType.Certificate ? 7 : 1;
        for (int cut = 0; cut < bodyLength; cut += step)
        {
            using HandshakeHarness h = Ed25519Harness();
            int length = cut;
            h.ServerToClient = (level, flight) => level != EncryptionLevel.Handshake ? flight
                : HandshakeHarness.RewriteMessage(flight, type, message => [message[0], 0, (byte)(length >> 8), (byte)length, .. message[4..(4 + length)]]);
            h.Run();
            Assert.True(h.Client.Alert == AlertDescription.DecodeError, $"{type} cut to {cut} bytes: {h.Client.Alert} {h.Client.FailureReason}");
        }
    }

    [Fact]
    public void EveryTruncatedClientHello_IsDecodeErrorAtTheServer()
    {
        using TlsClientSession client = TlsSession.CreateClient(HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa));
        client.Start();
        Assert.True(client.TryPollEvent(out TlsEvent write));
        byte[] hello = write.Data.ToArray();
        for (int cut = 0; cut < hello.Length - HandshakeMessage.HeaderLength; cut++)
        {
            using TlsServerSession server = TlsSession.CreateServer(HandshakeHarness.ServerOptions(TestCertificates.Ecdsa));
            byte[] truncated = [1, 0, (byte)(cut >> 8), (byte)cut, .. hello[4..(4 + cut)]];
            Assert.False(server.ProvideHandshakeData(EncryptionLevel.Initial, truncated));
            Assert.Equal(AlertDescription.DecodeError, server.Alert);
        }
    }

    private static HandshakeHarness Ed25519Harness()
    {
        TlsCertificateCredential credential = TestCertificates.Ed25519Server;
        return new HandshakeHarness(HandshakeHarness.ClientOptionsPinning(credential), HandshakeHarness.ServerOptions(credential));
    }

    private static byte[] ServerHandshakeMessage(HandshakeType type)
    {
        using HandshakeHarness h = Ed25519Harness();
        h.Run();
        Assert.True(h.Client.IsHandshakeComplete);
        byte[] flight = h.ServerEvents.First(e => e.Kind == TlsEventKind.WriteData && e.Level == EncryptionLevel.Handshake).Data.ToArray();
        return HandshakeHarness.SplitMessages(flight).Single(m => m[0] == (byte)type);
    }
}
