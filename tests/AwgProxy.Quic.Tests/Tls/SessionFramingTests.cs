using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Extensions;
using AwgProxy.Quic.Tls.Messages;

namespace AwgProxy.Quic.Tests.Tls;

/// <summary>
/// How handshake bytes may arrive: per level, split or coalesced, never past a key change, bounded
/// in size (RFC 8446 section 5.1, RFC 9001 sections 4.1.3 and 8.3).
/// </summary>
public class SessionFramingTests
{
    private static TlsClientSession NewClient() => TlsSession.CreateClient(HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa));

    private static TlsServerSession NewServer() => TlsSession.CreateServer(HandshakeHarness.ServerOptions(TestCertificates.Ecdsa));

    private static List<TlsEvent> Drain(TlsSession session)
    {
        var events = new List<TlsEvent>();
        while (session.TryPollEvent(out TlsEvent e)) events.Add(e);
        return events;
    }

    private static byte[] Written(List<TlsEvent> events, EncryptionLevel level)
        => [.. events.Where(e => e.Kind == TlsEventKind.WriteData && e.Level == level).SelectMany(e => e.Data.ToArray())];

    /// <summary>Runs a client to the point where it has the server's Initial and Handshake flights in hand.</summary>
    private static (TlsClientSession Client, byte[] ServerInitial, byte[] ServerHandshake) ClientWithServerFlights()
    {
        TlsClientSession client = NewClient();
        using TlsServerSession server = NewServer();
        client.Start();
        byte[] clientHello = Written(Drain(client), EncryptionLevel.Initial);
        Assert.True(server.ProvideHandshakeData(EncryptionLevel.Initial, clientHello));
        List<TlsEvent> serverEvents = Drain(server);
        return (client, Written(serverEvents, EncryptionLevel.Initial), Written(serverEvents, EncryptionLevel.Handshake));
    }

    private static HandshakeHarness Completed()
    {
        var h = new HandshakeHarness(HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa), HandshakeHarness.ServerOptions(TestCertificates.Ecdsa));
        h.Run();
        Assert.True(h.Client.IsHandshakeComplete && h.Server.IsHandshakeComplete);
        return h;
    }

    [Fact]
    public void ClientStart_QueuesOneClientHelloAtInitial_AndSecondStartDoesNothing()
    {
        using TlsClientSession client = NewClient();
        client.Start();
        client.Start();
        List<TlsEvent> events = Drain(client);
        TlsEvent write = Assert.Single(events);
        Assert.Equal(TlsEventKind.WriteData, write.Kind);
        Assert.Equal(EncryptionLevel.Initial, write.Level);
        Assert.Equal((byte)HandshakeType.ClientHello, write.Data.Span[0]);
        Assert.Equal(EncryptionLevel.Initial, client.ReadLevel);
    }

    [Fact]
    public void ClientDataBeforeStart_IsUnexpectedMessage()
    {
        using TlsClientSession client = NewClient();
        Assert.False(client.ProvideHandshakeData(EncryptionLevel.Initial, [2, 0, 0, 0]));
        Assert.Equal(AlertDescription.UnexpectedMessage, client.Alert);
    }

    [Fact]
    public void ClientHelloAtHandshakeLevel_IsUnexpectedMessage()
    {
        using TlsClientSession client = NewClient();
        client.Start();
        byte[] clientHello = Written(Drain(client), EncryptionLevel.Initial);
        using TlsServerSession server = NewServer();

        Assert.False(server.ProvideHandshakeData(EncryptionLevel.Handshake, clientHello));
        Assert.Equal(AlertDescription.UnexpectedMessage, server.Alert);
        Assert.Equal(TransportErrorCodeExtensions.FromTlsAlert(10), server.Error);
    }

    [Fact]
    public void CryptoDataAtZeroRtt_IsProtocolViolation()
    {
        using TlsServerSession server = NewServer();
        Assert.False(server.ProvideHandshakeData(EncryptionLevel.ZeroRtt, [1, 0, 0, 0]));
        Assert.Equal(TransportErrorCode.PROTOCOL_VIOLATION, server.Error);
        Assert.Null(server.Alert);
    }

    [Fact]
    public void ServerFlightCoalescedIntoInitial_StraddlesKeyChangeAndIsUnexpectedMessage()
    {
        (TlsClientSession client, byte[] initial, byte[] handshake) = ClientWithServerFlights();
        using (client)
        {
            Assert.False(client.ProvideHandshakeData(EncryptionLevel.Initial, [.. initial, .. handshake]));
            Assert.Equal(AlertDescription.UnexpectedMessage, client.Alert);
            Assert.False(client.TryPollEvent(out _));
        }
    }

    [Fact]
    public void ServerHelloCompletedFromBufferWithTrailingBytes_IsUnexpectedMessage()
    {
        (TlsClientSession client, byte[] initial, byte[] handshake) = ClientWithServerFlights();
        using (client)
        {
            Assert.True(client.ProvideHandshakeData(EncryptionLevel.Initial, initial.AsSpan(0, 10)));
            Assert.False(client.ProvideHandshakeData(EncryptionLevel.Initial, [.. initial[10..], handshake[0]]));
            Assert.Equal(AlertDescription.UnexpectedMessage, client.Alert);
        }
    }

    [Fact]
    public void InitialDataAfterServerHello_IsUnexpectedMessage()
    {
        (TlsClientSession client, byte[] initial, _) = ClientWithServerFlights();
        using (client)
        {
            Assert.True(client.ProvideHandshakeData(EncryptionLevel.Initial, initial));
            Assert.Equal(EncryptionLevel.Handshake, client.ReadLevel);
            Assert.False(client.ProvideHandshakeData(EncryptionLevel.Initial, [8, 0, 0, 2, 0, 0]));
            Assert.Equal(AlertDescription.UnexpectedMessage, client.Alert);
        }
    }

    [Fact]
    public void HandshakeFlightOneByteAtATime_CompletesAndEmitsEventsOnlyAtMessageBoundaries()
    {
        (TlsClientSession client, byte[] initial, byte[] handshake) = ClientWithServerFlights();
        using (client)
        {
            Drain(client);
            Assert.True(client.ProvideHandshakeData(EncryptionLevel.Initial, initial));
            Assert.Equal(2, Drain(client).Count);
            for (int i = 0; i < handshake.Length - 1; i++)
            {
                Assert.True(client.ProvideHandshakeData(EncryptionLevel.Handshake, handshake.AsSpan(i, 1)));
            }

            Assert.False(client.IsHandshakeComplete);
            Assert.True(client.ProvideHandshakeData(EncryptionLevel.Handshake, handshake.AsSpan(handshake.Length - 1)));
            Assert.True(client.IsHandshakeComplete);
            Assert.Contains(Drain(client), e => e.Kind == TlsEventKind.HandshakeComplete);
        }
    }

    [Fact]
    public void EmptyData_IsAcceptedAndChangesNothing()
    {
        using TlsServerSession server = NewServer();
        Assert.True(server.ProvideHandshakeData(EncryptionLevel.Initial, []));
        Assert.False(server.TryPollEvent(out _));
        Assert.False(server.IsFailed);
    }

    [Fact]
    public void OversizedMessageHeader_IsCryptoBufferExceededWithoutWaitingForTheBody()
    {
        using TlsServerSession server = NewServer();
        Assert.False(server.ProvideHandshakeData(EncryptionLevel.Initial, [1, 0x01, 0x00, 0x01]));
        Assert.Equal(TransportErrorCode.CRYPTO_BUFFER_EXCEEDED, server.Error);
        Assert.Null(server.Alert);
    }

    [Fact]
    public void OversizedMessageHeaderSplitAcrossCalls_IsCryptoBufferExceeded()
    {
        var options = HandshakeHarness.ServerOptions(TestCertificates.Ecdsa);
        options.MaxHandshakeMessageSize = 4096;
        using TlsServerSession server = TlsSession.CreateServer(options);
        Assert.True(server.ProvideHandshakeData(EncryptionLevel.Initial, [1, 0x00]));
        Assert.False(server.ProvideHandshakeData(EncryptionLevel.Initial, [0x10, 0x01, 0xAA]));
        Assert.Equal(TransportErrorCode.CRYPTO_BUFFER_EXCEEDED, server.Error);
    }

    [Fact]
    public void MessageAtTheSizeLimit_IsBufferedNotRefused()
    {
        var options = HandshakeHarness.ServerOptions(TestCertificates.Ecdsa);
        options.MaxHandshakeMessageSize = 4096;
        using TlsServerSession server = TlsSession.CreateServer(options);
        Assert.True(server.ProvideHandshakeData(EncryptionLevel.Initial, [1, 0x00, 0x10, 0x00, 0x03]));
        Assert.False(server.IsFailed);
    }

    [Fact]
    public void UnknownHandshakeType_IsUnexpectedMessage()
    {
        using TlsServerSession server = NewServer();
        Assert.False(server.ProvideHandshakeData(EncryptionLevel.Initial, [99, 0, 0, 1, 0]));
        Assert.Equal(AlertDescription.UnexpectedMessage, server.Alert);
    }

    [Fact]
    public void FailedSession_RefusesFurtherDataAndKeepsFirstError()
    {
        using TlsServerSession server = NewServer();
        Assert.False(server.ProvideHandshakeData(EncryptionLevel.Initial, [1, 0, 0, 1, 0]));
        Assert.Equal(AlertDescription.DecodeError, server.Alert);
        Assert.False(server.ProvideHandshakeData(EncryptionLevel.Handshake, [99, 0, 0, 0]));
        Assert.Equal(AlertDescription.DecodeError, server.Alert);
        Assert.NotNull(server.FailureReason);
    }

    [Fact]
    public void NewSessionTicketAfterHandshake_IsAcceptedAndIgnoredByClient()
    {
        using HandshakeHarness h = Completed();
        byte[] ticket = HandshakeMessage.Encode(new NewSessionTicket
        {
            TicketLifetime = 3600,
            TicketAgeAdd = 7,
            TicketNonce = [0],
            Ticket = [1, 2, 3, 4],
            Extensions = [new TlsExtension(ExtensionType.EarlyData, EarlyDataExtension.EncodeNewSessionTicket(0xFFFF_FFFF))],
        });

        Assert.True(h.Client.ProvideHandshakeData(EncryptionLevel.OneRtt, ticket.AsSpan(0, 7)));
        Assert.True(h.Client.ProvideHandshakeData(EncryptionLevel.OneRtt, [.. ticket[7..], .. ticket]));
        Assert.False(h.Client.TryPollEvent(out _));
        Assert.False(h.Client.IsFailed);
    }

    [Fact]
    public void NewSessionTicketWithLimitedEarlyData_IsProtocolViolation()
    {
        using HandshakeHarness h = Completed();
        byte[] ticket = HandshakeMessage.Encode(new NewSessionTicket
        {
            Ticket = [1],
            Extensions = [new TlsExtension(ExtensionType.EarlyData, EarlyDataExtension.EncodeNewSessionTicket(16384))],
        });
        Assert.False(h.Client.ProvideHandshakeData(EncryptionLevel.OneRtt, ticket));
        Assert.Equal(TransportErrorCode.PROTOCOL_VIOLATION, h.Client.Error);
    }

    [Fact]
    public void MalformedNewSessionTicket_IsDecodeError()
    {
        using HandshakeHarness h = Completed();
        Assert.False(h.Client.ProvideHandshakeData(EncryptionLevel.OneRtt, [4, 0, 0, 3, 0, 0, 0]));
        Assert.Equal(AlertDescription.DecodeError, h.Client.Alert);
    }

    [Fact]
    public void KeyUpdateAfterHandshake_IsUnexpectedMessage0x10a()
    {
        using HandshakeHarness h = Completed();
        Assert.False(h.Client.ProvideHandshakeData(EncryptionLevel.OneRtt, [24, 0, 0, 1, 0]));
        Assert.Equal(AlertDescription.UnexpectedMessage, h.Client.Alert);
        Assert.Equal((TransportErrorCode)0x10a, h.Client.Error);
    }

    [Fact]
    public void AnyPostHandshakeMessageToServer_IsUnexpectedMessage()
    {
        using HandshakeHarness h = Completed();
        Assert.False(h.Server.ProvideHandshakeData(EncryptionLevel.OneRtt, HandshakeMessage.Encode(new NewSessionTicket { Ticket = [1] })));
        Assert.Equal(AlertDescription.UnexpectedMessage, h.Server.Alert);
    }

    [Fact]
    public void HandshakeDataAfterCompletion_IsUnexpectedMessage()
    {
        using HandshakeHarness h = Completed();
        Assert.False(h.Client.ProvideHandshakeData(EncryptionLevel.Handshake, [20, 0, 0, 0]));
        Assert.Equal(AlertDescription.UnexpectedMessage, h.Client.Alert);
    }

    [Fact]
    public void RandomHookThatThrows_FailsWithInternalErrorInsteadOfThrowing()
    {
        TlsClientOptions options = HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa);
        options.Random = _ => throw new InvalidOperationException("no entropy");
        using TlsClientSession client = TlsSession.CreateClient(options);
        client.Start();
        Assert.Equal(AlertDescription.InternalError, client.Alert);
        Assert.False(client.TryPollEvent(out _));
    }
}
