using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Extensions;
using AwgProxy.Quic.Tls.Messages;

namespace AwgProxy.Quic.Tests.Tls;

/// <summary>
/// A man in the middle rewrites one message of an otherwise valid handshake; the receiving side must
/// answer with the alert RFC 8446 section 6 / RFC 9001 prescribe.
/// </summary>
public class HandshakeViolationTests
{
    private static HandshakeHarness Harness(Action<TlsClientOptions>? client = null, Action<TlsServerOptions>? server = null)
    {
        TlsClientOptions clientOptions = HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa);
        client?.Invoke(clientOptions);
        TlsServerOptions serverOptions = HandshakeHarness.ServerOptions(TestCertificates.Ecdsa);
        server?.Invoke(serverOptions);
        return new HandshakeHarness(clientOptions, serverOptions);
    }

    private static byte[] RewriteClientHello(byte[] flight, Func<ClientHello, ClientHello> rewrite)
        => HandshakeHarness.RewriteMessage(flight, HandshakeType.ClientHello, message =>
        {
            Assert.True(ClientHello.TryParse(message.AsSpan(4), out ClientHello? hello));
            return HandshakeMessage.Encode(rewrite(hello!));
        });

    private static byte[] RewriteServerHello(byte[] flight, Func<ServerHello, ServerHello> rewrite)
        => HandshakeHarness.RewriteMessage(flight, HandshakeType.ServerHello, message =>
        {
            Assert.True(ServerHello.TryParse(message.AsSpan(4), out ServerHello? hello));
            return HandshakeMessage.Encode(rewrite(hello!));
        });

    private static byte[] RewriteEncryptedExtensions(byte[] flight, Func<List<TlsExtension>, List<TlsExtension>> rewrite)
        => HandshakeHarness.RewriteMessage(flight, HandshakeType.EncryptedExtensions, message =>
        {
            Assert.True(EncryptedExtensions.TryParse(message.AsSpan(4), out EncryptedExtensions? extensions));
            return HandshakeMessage.Encode(new EncryptedExtensions { Extensions = rewrite(extensions!.Extensions) });
        });

    private static ClientHello WithExtensions(ClientHello hello, List<TlsExtension> extensions) => new()
    {
        LegacyVersion = hello.LegacyVersion,
        Random = hello.Random,
        LegacySessionId = hello.LegacySessionId,
        CipherSuites = hello.CipherSuites,
        LegacyCompressionMethods = hello.LegacyCompressionMethods,
        Extensions = extensions,
    };

    private static ServerHello WithExtensions(ServerHello hello, List<TlsExtension> extensions, CipherSuite? suite = null, ushort? legacyVersion = null, byte compression = 0) => new()
    {
        LegacyVersion = legacyVersion ?? hello.LegacyVersion,
        Random = hello.Random,
        LegacySessionIdEcho = hello.LegacySessionIdEcho,
        CipherSuite = suite ?? hello.CipherSuite,
        LegacyCompressionMethod = compression,
        Extensions = extensions,
    };

    private static List<TlsExtension> Without(List<TlsExtension> extensions, ExtensionType type) => [.. extensions.Where(e => e.Type != type)];

    private static void AssertServerAlert(HandshakeHarness h, AlertDescription alert)
    {
        Assert.True(h.Server.IsFailed, "server should have failed");
        Assert.Equal(alert, h.Server.Alert);
        Assert.Equal(TransportErrorCodeExtensions.FromTlsAlert((byte)alert), h.Server.Error);
        Assert.False(h.Client.IsHandshakeComplete);
    }

    private static void AssertClientAlert(HandshakeHarness h, AlertDescription alert)
    {
        Assert.True(h.Client.IsFailed, "client should have failed");
        Assert.Equal(alert, h.Client.Alert);
        Assert.Equal(TransportErrorCodeExtensions.FromTlsAlert((byte)alert), h.Client.Error);
        Assert.False(h.Client.IsHandshakeComplete);
    }

    // ---- ClientHello, judged by the server ----

    [Theory]
    [InlineData((ushort)ExtensionType.QuicTransportParameters, AlertDescription.MissingExtension)]
    [InlineData((ushort)ExtensionType.KeyShare, AlertDescription.MissingExtension)]
    [InlineData((ushort)ExtensionType.SignatureAlgorithms, AlertDescription.MissingExtension)]
    [InlineData((ushort)ExtensionType.SupportedGroups, AlertDescription.MissingExtension)]
    [InlineData((ushort)ExtensionType.SupportedVersions, AlertDescription.ProtocolVersion)]
    [InlineData((ushort)ExtensionType.ApplicationLayerProtocolNegotiation, AlertDescription.NoApplicationProtocol)]
    public void ClientHelloWithoutMandatoryExtension_IsRefused(ushort removedType, AlertDescription expected)
    {
        var removed = (ExtensionType)removedType;
        using HandshakeHarness h = Harness();
        h.ClientToServer = (level, flight) => RewriteClientHello(flight, hello => WithExtensions(hello, Without(hello.Extensions, removed)));
        h.Run();
        AssertServerAlert(h, expected);
    }

    [Fact]
    public void ClientHelloWithUnknownExtensionsSuitesAndGroups_IsAcceptedIgnoringThem()
    {
        using HandshakeHarness h = Harness();
        h.ClientToServer = (level, flight) => level != EncryptionLevel.Initial ? flight : RewriteClientHello(flight, hello =>
        {
            List<TlsExtension> extensions = [new TlsExtension((ExtensionType)0x0A0A, []), .. hello.Extensions, new TlsExtension((ExtensionType)0xFE0D, [1, 2, 3])];
            return new ClientHello
            {
                Random = hello.Random,
                CipherSuites = [(CipherSuite)0x1A1A, (CipherSuite)0x1304, .. hello.CipherSuites],
                Extensions = extensions,
            };
        });

        h.Run();

        // The server completes; the client's Finished fails only because its transcript lacks the rewrite.
        Assert.False(h.Server.IsFailed && h.Server.Alert != AlertDescription.DecryptError, h.Server.FailureReason);
        Assert.Equal(AlertDescription.DecryptError, h.Client.Alert);
    }

    [Fact]
    public void ClientHelloWithDuplicateExtension_IsIllegalParameter()
    {
        using HandshakeHarness h = Harness();
        h.ClientToServer = (level, flight) => RewriteClientHello(flight, hello => WithExtensions(hello, [.. hello.Extensions, hello.Extensions[^1]]));
        h.Run();
        AssertServerAlert(h, AlertDescription.IllegalParameter);
    }

    [Fact]
    public void ClientHelloWithSessionId_IsProtocolViolation()
    {
        using HandshakeHarness h = Harness();
        h.ClientToServer = (level, flight) => RewriteClientHello(flight, hello => new ClientHello
        {
            Random = hello.Random,
            LegacySessionId = new byte[32],
            CipherSuites = hello.CipherSuites,
            Extensions = hello.Extensions,
        });
        h.Run();
        Assert.Equal(TransportErrorCode.PROTOCOL_VIOLATION, h.Server.Error);
        Assert.Null(h.Server.Alert);
    }

    [Fact]
    public void ClientHelloWithCompression_IsIllegalParameter()
    {
        using HandshakeHarness h = Harness();
        h.ClientToServer = (level, flight) => RewriteClientHello(flight, hello => new ClientHello
        {
            Random = hello.Random,
            CipherSuites = hello.CipherSuites,
            LegacyCompressionMethods = [1, 0],
            Extensions = hello.Extensions,
        });
        h.Run();
        AssertServerAlert(h, AlertDescription.IllegalParameter);
    }

    [Fact]
    public void ClientHelloWithOldLegacyVersion_IsProtocolVersion()
    {
        using HandshakeHarness h = Harness();
        h.ClientToServer = (level, flight) => RewriteClientHello(flight, hello => new ClientHello
        {
            LegacyVersion = 0x0301,
            Random = hello.Random,
            CipherSuites = hello.CipherSuites,
            Extensions = hello.Extensions,
        });
        h.Run();
        AssertServerAlert(h, AlertDescription.ProtocolVersion);
    }

    [Fact]
    public void ClientHelloOfferingOnlyTls12_IsProtocolVersion()
    {
        using HandshakeHarness h = Harness();
        h.ClientToServer = (level, flight) => RewriteClientHello(flight, hello => WithExtensions(hello,
            [.. Without(hello.Extensions, ExtensionType.SupportedVersions), new TlsExtension(ExtensionType.SupportedVersions, SupportedVersionsExtension.EncodeClientHello([0x0303]))]));
        h.Run();
        AssertServerAlert(h, AlertDescription.ProtocolVersion);
    }

    [Fact]
    public void ClientHelloWithKeyShareOutsideSupportedGroups_IsIllegalParameter()
    {
        using HandshakeHarness h = Harness();
        h.ClientToServer = (level, flight) => RewriteClientHello(flight, hello => WithExtensions(hello,
            [.. Without(hello.Extensions, ExtensionType.SupportedGroups), new TlsExtension(ExtensionType.SupportedGroups, SupportedGroupsExtension.Encode([NamedGroup.Secp256r1]))]));
        h.Run();
        AssertServerAlert(h, AlertDescription.IllegalParameter);
    }

    [Fact]
    public void ClientHelloWithExtensionOnlyAllowedInCertificateRequest_IsIllegalParameter()
    {
        using HandshakeHarness h = Harness();
        h.ClientToServer = (level, flight) => RewriteClientHello(flight, hello => WithExtensions(hello, [.. hello.Extensions, new TlsExtension(ExtensionType.OidFilters, [0, 0])]));
        h.Run();
        AssertServerAlert(h, AlertDescription.IllegalParameter);
    }

    [Fact]
    public void ClientHelloWithInvalidP256Share_IsIllegalParameter()
    {
        using HandshakeHarness h = Harness(
            client => { client.Groups = [NamedGroup.Secp256r1]; client.KeyShareGroups = [NamedGroup.Secp256r1]; },
            server => server.Groups = [NamedGroup.Secp256r1]);
        byte[] offCurve = new byte[65];
        offCurve[0] = 4;
        offCurve[64] = 1;
        h.ClientToServer = (level, flight) => RewriteClientHello(flight, hello => WithExtensions(hello,
            [.. Without(hello.Extensions, ExtensionType.KeyShare), new TlsExtension(ExtensionType.KeyShare, KeyShareExtension.EncodeClientHello([new KeyShareEntry(NamedGroup.Secp256r1, offCurve)]))]));
        h.Run();
        AssertServerAlert(h, AlertDescription.IllegalParameter);
    }

    [Fact]
    public void ClientHelloWithAllZeroX25519Share_IsIllegalParameter()
    {
        using HandshakeHarness h = Harness();
        h.ClientToServer = (level, flight) => RewriteClientHello(flight, hello => WithExtensions(hello,
            [.. Without(hello.Extensions, ExtensionType.KeyShare), new TlsExtension(ExtensionType.KeyShare, KeyShareExtension.EncodeClientHello([new KeyShareEntry(NamedGroup.X25519, new byte[32])]))]));
        h.Run();
        AssertServerAlert(h, AlertDescription.IllegalParameter);
    }

    [Fact]
    public void SecondClientHelloChangingAlpn_IsIllegalParameter()
    {
        using HandshakeHarness h = Harness(server: server => server.Groups = [NamedGroup.Secp256r1]);
        int clientHellos = 0;
        h.ClientToServer = (level, flight) => level != EncryptionLevel.Initial || ++clientHellos == 1 ? flight : RewriteClientHello(flight, hello => WithExtensions(hello,
            [.. Without(hello.Extensions, ExtensionType.ApplicationLayerProtocolNegotiation),
             new TlsExtension(ExtensionType.ApplicationLayerProtocolNegotiation, ApplicationLayerProtocolNegotiationExtension.Encode([HandshakeHarness.Alpn.Protocol.ToArray(), "h3"u8.ToArray()]))]));
        h.Run();
        AssertServerAlert(h, AlertDescription.IllegalParameter);
    }

    [Fact]
    public void SecondClientHelloStillWithoutRequestedShare_IsIllegalParameter()
    {
        using HandshakeHarness h = Harness(server: server => server.Groups = [NamedGroup.Secp256r1]);
        byte[]? first = null;
        h.ClientToServer = (level, flight) =>
        {
            if (level != EncryptionLevel.Initial) return flight;
            if (first is null) return first = flight;
            return first; // replay ClientHello1 (x25519 share only) as the second ClientHello
        };
        h.Run();
        AssertServerAlert(h, AlertDescription.IllegalParameter);
    }

    // ---- ServerHello / HelloRetryRequest, judged by the client ----

    [Fact]
    public void ServerHelloChoosingSuiteNotOffered_IsIllegalParameter()
    {
        using HandshakeHarness h = Harness(client => client.CipherSuites = [CipherSuite.TLS_AES_128_GCM_SHA256]);
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Initial ? flight
            : RewriteServerHello(flight, hello => WithExtensions(hello, hello.Extensions, suite: CipherSuite.TLS_AES_256_GCM_SHA384));
        h.Run();
        AssertClientAlert(h, AlertDescription.IllegalParameter);
    }

    [Fact]
    public void ServerHelloChoosingGroupNotOffered_IsIllegalParameter()
    {
        using HandshakeHarness h = Harness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Initial ? flight : RewriteServerHello(flight, hello => WithExtensions(hello,
            [.. Without(hello.Extensions, ExtensionType.KeyShare), new TlsExtension(ExtensionType.KeyShare, KeyShareExtension.EncodeServerHello(new KeyShareEntry(NamedGroup.Secp256r1, new byte[65])))]));
        h.Run();
        AssertClientAlert(h, AlertDescription.IllegalParameter);
    }

    [Fact]
    public void ServerHelloWithoutKeyShare_IsMissingExtension()
    {
        using HandshakeHarness h = Harness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Initial ? flight
            : RewriteServerHello(flight, hello => WithExtensions(hello, Without(hello.Extensions, ExtensionType.KeyShare)));
        h.Run();
        AssertClientAlert(h, AlertDescription.MissingExtension);
    }

    [Fact]
    public void ServerHelloWithoutSupportedVersions_IsProtocolVersion()
    {
        using HandshakeHarness h = Harness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Initial ? flight
            : RewriteServerHello(flight, hello => WithExtensions(hello, Without(hello.Extensions, ExtensionType.SupportedVersions)));
        h.Run();
        AssertClientAlert(h, AlertDescription.ProtocolVersion);
    }

    [Theory]
    [InlineData("legacy_version")]
    [InlineData("compression")]
    [InlineData("duplicate")]
    [InlineData("version")]
    public void ServerHelloWithBadParameter_IsIllegalParameter(string field)
    {
        using HandshakeHarness h = Harness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Initial ? flight : RewriteServerHello(flight, hello => field switch
        {
            "legacy_version" => WithExtensions(hello, hello.Extensions, legacyVersion: 0x0304),
            "compression" => WithExtensions(hello, hello.Extensions, compression: 1),
            "duplicate" => WithExtensions(hello, [.. hello.Extensions, hello.Extensions[0]]),
            _ => WithExtensions(hello, [.. Without(hello.Extensions, ExtensionType.SupportedVersions), new TlsExtension(ExtensionType.SupportedVersions, [0x7f, 0x1c])]),
        });
        h.Run();
        AssertClientAlert(h, AlertDescription.IllegalParameter);
    }

    [Fact]
    public void ServerHelloWithUnsolicitedExtension_IsUnsupportedExtension()
    {
        using HandshakeHarness h = Harness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Initial ? flight
            : RewriteServerHello(flight, hello => WithExtensions(hello, [.. hello.Extensions, new TlsExtension(ExtensionType.PreSharedKey, [0, 0])]));
        h.Run();
        AssertClientAlert(h, AlertDescription.UnsupportedExtension);
    }

    [Fact]
    public void ServerHelloWithSolicitedButMisplacedExtension_IsIllegalParameter()
    {
        using HandshakeHarness h = Harness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Initial ? flight
            : RewriteServerHello(flight, hello => WithExtensions(hello, [.. hello.Extensions, new TlsExtension(ExtensionType.QuicTransportParameters, [])]));
        h.Run();
        AssertClientAlert(h, AlertDescription.IllegalParameter);
    }

    [Fact]
    public void HelloRetryRequestForGroupAlreadyShared_IsIllegalParameter()
    {
        using HandshakeHarness h = Harness(server: server => server.Groups = [NamedGroup.Secp256r1]);
        h.ServerToClient = (level, flight) => RewriteServerHello(flight, hello => !hello.IsHelloRetryRequest ? hello : WithExtensions(hello,
            [.. Without(hello.Extensions, ExtensionType.KeyShare), new TlsExtension(ExtensionType.KeyShare, KeyShareExtension.EncodeHelloRetryRequest(NamedGroup.X25519))]));
        h.Run();
        AssertClientAlert(h, AlertDescription.IllegalParameter);
        Assert.False(h.Client.HelloRetryRequested);
    }

    [Fact]
    public void HelloRetryRequestForUnofferedGroup_IsIllegalParameter()
    {
        using HandshakeHarness h = Harness(server: server => server.Groups = [NamedGroup.Secp256r1]);
        h.ServerToClient = (level, flight) => RewriteServerHello(flight, hello => !hello.IsHelloRetryRequest ? hello : WithExtensions(hello,
            [.. Without(hello.Extensions, ExtensionType.KeyShare), new TlsExtension(ExtensionType.KeyShare, KeyShareExtension.EncodeHelloRetryRequest((NamedGroup)0x0018))]));
        h.Run();
        AssertClientAlert(h, AlertDescription.IllegalParameter);
    }

    [Fact]
    public void HelloRetryRequestChangingNothing_IsIllegalParameter()
    {
        using HandshakeHarness h = Harness(server: server => server.Groups = [NamedGroup.Secp256r1]);
        h.ServerToClient = (level, flight) => RewriteServerHello(flight, hello => !hello.IsHelloRetryRequest ? hello
            : WithExtensions(hello, Without(hello.Extensions, ExtensionType.KeyShare)));
        h.Run();
        AssertClientAlert(h, AlertDescription.IllegalParameter);
    }

    [Fact]
    public void ServerHelloAfterRetryWithDifferentSuite_IsIllegalParameter()
    {
        using HandshakeHarness h = Harness(server: server => server.Groups = [NamedGroup.Secp256r1]);
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Initial ? flight : RewriteServerHello(flight, hello => hello.IsHelloRetryRequest ? hello
            : WithExtensions(hello, hello.Extensions, suite: CipherSuitePreference.Default[1]));
        h.Run();
        AssertClientAlert(h, AlertDescription.IllegalParameter);
    }

    [Fact]
    public void HelloRetryRequestCookie_IsEchoedInSecondClientHello()
    {
        using TlsClientSession client = TlsSession.CreateClient(HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa));
        client.Start();
        Assert.True(client.TryPollEvent(out TlsEvent first));
        Assert.True(ClientHello.TryParse(first.Data.Span[4..], out ClientHello? hello1));

        byte[] cookie = [9, 8, 7, 6, 5];
        byte[] retry = HandshakeMessage.Encode(new ServerHello
        {
            Random = ServerHello.HelloRetryRequestRandom.ToArray(),
            CipherSuite = CipherSuite.TLS_AES_128_GCM_SHA256,
            Extensions =
            [
                new TlsExtension(ExtensionType.SupportedVersions, SupportedVersionsExtension.EncodeServerHello(0x0304)),
                new TlsExtension(ExtensionType.KeyShare, KeyShareExtension.EncodeHelloRetryRequest(NamedGroup.Secp256r1)),
                new TlsExtension(ExtensionType.Cookie, CookieExtension.Encode(cookie)),
            ],
        });
        Assert.True(client.ProvideHandshakeData(EncryptionLevel.Initial, retry));

        Assert.True(client.TryPollEvent(out TlsEvent second));
        Assert.Equal(TlsEventKind.WriteData, second.Kind);
        Assert.Equal(EncryptionLevel.Initial, second.Level);
        Assert.True(ClientHello.TryParse(second.Data.Span[4..], out ClientHello? hello2));
        Assert.Equal(hello1!.Random, hello2!.Random);
        Assert.True(CookieExtension.TryParse(hello2.FindExtension(ExtensionType.Cookie), out byte[] echoed));
        Assert.Equal(cookie, echoed);
        Assert.True(KeyShareExtension.TryParseClientHello(hello2.FindExtension(ExtensionType.KeyShare), out List<KeyShareEntry> shares));
        Assert.Equal(NamedGroup.Secp256r1, Assert.Single(shares).Group);
        Assert.Equal(65, shares[0].KeyExchange.Length);
        Assert.Equal(hello1.FindExtension(ExtensionType.ApplicationLayerProtocolNegotiation), hello2.FindExtension(ExtensionType.ApplicationLayerProtocolNegotiation));
        Assert.True(client.HelloRetryRequested);

        // A second HelloRetryRequest is unexpected.
        Assert.False(client.ProvideHandshakeData(EncryptionLevel.Initial, retry));
        Assert.Equal(AlertDescription.UnexpectedMessage, client.Alert);
    }

    // ---- EncryptedExtensions and the server's authentication, judged by the client ----

    [Fact]
    public void EncryptedExtensionsWithoutTransportParameters_IsMissingExtension()
    {
        using HandshakeHarness h = Harness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Handshake ? flight
            : RewriteEncryptedExtensions(flight, extensions => Without(extensions, ExtensionType.QuicTransportParameters));
        h.Run();
        AssertClientAlert(h, AlertDescription.MissingExtension);
        Assert.DoesNotContain(h.ClientEvents, e => e.Kind == TlsEventKind.PeerTransportParameters);
    }

    [Fact]
    public void EncryptedExtensionsWithoutAlpn_IsNoApplicationProtocol()
    {
        using HandshakeHarness h = Harness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Handshake ? flight
            : RewriteEncryptedExtensions(flight, extensions => Without(extensions, ExtensionType.ApplicationLayerProtocolNegotiation));
        h.Run();
        AssertClientAlert(h, AlertDescription.NoApplicationProtocol);
    }

    [Fact]
    public void EncryptedExtensionsSelectingUnofferedAlpn_IsIllegalParameter()
    {
        using HandshakeHarness h = Harness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Handshake ? flight : RewriteEncryptedExtensions(flight, extensions =>
            [.. Without(extensions, ExtensionType.ApplicationLayerProtocolNegotiation),
             new TlsExtension(ExtensionType.ApplicationLayerProtocolNegotiation, ApplicationLayerProtocolNegotiationExtension.Encode(["h3"u8.ToArray()]))]);
        h.Run();
        AssertClientAlert(h, AlertDescription.IllegalParameter);
    }

    [Theory]
    [InlineData((ushort)ExtensionType.EarlyData, AlertDescription.UnsupportedExtension)]
    [InlineData((ushort)0x7777, AlertDescription.UnsupportedExtension)]
    [InlineData((ushort)ExtensionType.KeyShare, AlertDescription.IllegalParameter)]
    [InlineData((ushort)ExtensionType.SignatureAlgorithms, AlertDescription.IllegalParameter)]
    public void EncryptedExtensionsWithExtraExtension_IsRefused(ushort extraType, AlertDescription expected)
    {
        var extra = (ExtensionType)extraType;
        using HandshakeHarness h = Harness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Handshake ? flight
            : RewriteEncryptedExtensions(flight, extensions => [.. extensions, new TlsExtension(extra, [])]);
        h.Run();
        AssertClientAlert(h, expected);
    }

    [Fact]
    public void EncryptedExtensionsWithEmptyServerNameAnswer_IsAccepted()
    {
        using HandshakeHarness h = Harness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Handshake ? flight
            : RewriteEncryptedExtensions(flight, extensions => [.. extensions, new TlsExtension(ExtensionType.ServerName, [])]);
        h.Run();

        // EncryptedExtensions passes; only the server Finished (over the original transcript) fails, and
        // the events of the failing call are dropped.
        Assert.Equal(AlertDescription.DecryptError, h.Client.Alert);
        Assert.Equal(HandshakeHarness.ServerTransportParameters, h.Client.PeerTransportParameters);
        Assert.DoesNotContain(h.ClientEvents, e => e.Kind == TlsEventKind.PeerTransportParameters);
    }

    [Fact]
    public void EncryptedExtensionsWithMalformedSupportedGroups_IsDecodeError()
    {
        using HandshakeHarness h = Harness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Handshake ? flight
            : RewriteEncryptedExtensions(flight, extensions => [.. extensions, new TlsExtension(ExtensionType.SupportedGroups, [0, 1, 0])]);
        h.Run();
        AssertClientAlert(h, AlertDescription.DecodeError);
    }

    private static byte[] RewriteCertificateRequest(byte[] flight, Func<CertificateRequest, CertificateRequest> rewrite)
        => HandshakeHarness.RewriteMessage(flight, HandshakeType.CertificateRequest, message =>
        {
            Assert.True(CertificateRequest.TryParse(message.AsSpan(4), out CertificateRequest? request));
            return HandshakeMessage.Encode(rewrite(request!));
        });

    private static HandshakeHarness RequestingHarness() => Harness(
        client => client.ClientCredential = TestCertificates.EcdsaClient,
        server =>
        {
            server.RequestClientCertificate = true;
            server.ClientCertificateValidator = _ => "client";
        });

    [Fact]
    public void CertificateRequestWithoutSignatureAlgorithms_IsMissingExtension()
    {
        using HandshakeHarness h = RequestingHarness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Handshake ? flight
            : RewriteCertificateRequest(flight, request => new CertificateRequest { Extensions = Without(request.Extensions, ExtensionType.SignatureAlgorithms) });
        h.Run();
        AssertClientAlert(h, AlertDescription.MissingExtension);
    }

    [Fact]
    public void CertificateRequestWithContext_IsIllegalParameter()
    {
        using HandshakeHarness h = RequestingHarness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Handshake ? flight
            : RewriteCertificateRequest(flight, request => new CertificateRequest { CertificateRequestContext = [1], Extensions = request.Extensions });
        h.Run();
        AssertClientAlert(h, AlertDescription.IllegalParameter);
    }

    [Fact]
    public void CertificateRequestWithUnknownExtension_IsIgnored()
    {
        using HandshakeHarness h = RequestingHarness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Handshake ? flight
            : RewriteCertificateRequest(flight, request => new CertificateRequest
            {
                Extensions = [new TlsExtension((ExtensionType)0x5A5A, [1]), new TlsExtension(ExtensionType.CertificateAuthorities, [0, 0]), .. request.Extensions],
            });
        h.Run();

        // CertificateRequest passes; the server Finished then fails over the altered transcript.
        AssertClientAlert(h, AlertDescription.DecryptError);
    }

    [Fact]
    public void EmptyServerCertificate_IsDecodeError()
    {
        using HandshakeHarness h = Harness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Handshake ? flight
            : HandshakeHarness.RewriteMessage(flight, HandshakeType.Certificate, _ => HandshakeMessage.Encode(new Certificate()));
        h.Run();
        AssertClientAlert(h, AlertDescription.DecodeError);
    }

    [Fact]
    public void ServerCertificateEntryWithExtension_IsUnsupportedExtension()
    {
        using HandshakeHarness h = Harness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Handshake ? flight
            : HandshakeHarness.RewriteMessage(flight, HandshakeType.Certificate, _ => HandshakeMessage.Encode(new Certificate
            {
                CertificateList = [new CertificateEntry(TestCertificates.Ecdsa.CertificateChain[0], [new TlsExtension(ExtensionType.StatusRequest, [1, 2])])],
            }));
        h.Run();
        AssertClientAlert(h, AlertDescription.UnsupportedExtension);
    }

    [Fact]
    public void ServerCertificateThatIsNotDer_IsBadCertificate()
    {
        using HandshakeHarness h = Harness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Handshake ? flight
            : HandshakeHarness.RewriteMessage(flight, HandshakeType.Certificate, _ => HandshakeMessage.Encode(new Certificate
            {
                CertificateList = [new CertificateEntry([0x30, 0x03, 0x02, 0x01, 0x00])],
            }));
        h.Run();
        AssertClientAlert(h, AlertDescription.BadCertificate);
    }

    [Fact]
    public void TamperedServerSignature_IsDecryptError()
    {
        using HandshakeHarness h = Harness(server: server => server.ServerCredential = TestCertificates.Ed25519Server,
            client: client => client.ServerCertificatePolicy = Quic.Tls.Certificates.TlsServerCertificatePolicy.PinnedPublicKeys([TestCertificates.Ed25519ServerKey.PublicKey]));
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Handshake ? flight
            : HandshakeHarness.RewriteMessage(flight, HandshakeType.CertificateVerify, message =>
            {
                byte[] copy = (byte[])message.Clone();
                copy[^1] ^= 0x01;
                return copy;
            });
        h.Run();
        AssertClientAlert(h, AlertDescription.DecryptError);
    }

    [Fact]
    public void AcceptAnyPolicy_TamperedServerSignature_IsStillDecryptError()
    {
        // The test-tool policy skips trust decisions only: proof of possession of the key is still checked.
#pragma warning disable AWGQUIC0001
        using HandshakeHarness h = Harness(client: client => client.ServerCertificatePolicy = Quic.Tls.Certificates.TlsServerCertificatePolicy.DangerousAcceptAnyServerCertificate());
#pragma warning restore AWGQUIC0001
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Handshake ? flight
            : HandshakeHarness.RewriteMessage(flight, HandshakeType.CertificateVerify, message =>
            {
                byte[] copy = (byte[])message.Clone();
                copy[^1] ^= 0x01;
                return copy;
            });
        h.Run();
        AssertClientAlert(h, AlertDescription.DecryptError);
    }

    [Fact]
    public void ServerSignatureWithSchemeNotFittingKey_IsIllegalParameter()
    {
        using HandshakeHarness h = Harness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Handshake ? flight
            : HandshakeHarness.RewriteMessage(flight, HandshakeType.CertificateVerify, message =>
            {
                byte[] copy = (byte[])message.Clone();
                copy[4] = 0x08;
                copy[5] = 0x07; // ed25519 with an ECDSA certificate
                return copy;
            });
        h.Run();
        AssertClientAlert(h, AlertDescription.IllegalParameter);
    }

    [Fact]
    public void TamperedServerFinished_IsDecryptError()
    {
        using HandshakeHarness h = Harness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Handshake ? flight
            : HandshakeHarness.RewriteMessage(flight, HandshakeType.Finished, message =>
            {
                byte[] copy = (byte[])message.Clone();
                copy[10] ^= 0x80;
                return copy;
            });
        h.Run();
        AssertClientAlert(h, AlertDescription.DecryptError);
        Assert.DoesNotContain(h.ClientEvents, e => e.Kind == TlsEventKind.SecretsAvailable && e.Level == EncryptionLevel.OneRtt);
    }

    [Fact]
    public void ServerFinishedOfWrongLength_IsDecodeError()
    {
        using HandshakeHarness h = Harness();
        h.ServerToClient = (level, flight) => level != EncryptionLevel.Handshake ? flight
            : HandshakeHarness.RewriteMessage(flight, HandshakeType.Finished, message => HandshakeMessage.Encode(new Finished { VerifyData = message[4..^1] }));
        h.Run();
        AssertClientAlert(h, AlertDescription.DecodeError);
    }

    // ---- the client's second flight, judged by the server ----

    [Fact]
    public void TamperedClientFinished_IsDecryptError()
    {
        using HandshakeHarness h = Harness();
        h.ClientToServer = (level, flight) => level != EncryptionLevel.Handshake ? flight
            : HandshakeHarness.RewriteMessage(flight, HandshakeType.Finished, message =>
            {
                byte[] copy = (byte[])message.Clone();
                copy[^1] ^= 0x01;
                return copy;
            });
        h.Run();
        Assert.True(h.Client.IsHandshakeComplete);
        Assert.Equal(AlertDescription.DecryptError, h.Server.Alert);
        Assert.DoesNotContain(h.ServerEvents, e => e.Kind == TlsEventKind.HandshakeComplete);
    }

    [Fact]
    public void TamperedClientSignature_IsDecryptError()
    {
        using HandshakeHarness h = Harness(
            client => client.ClientCredential = TestCertificates.EcdsaClient,
            server =>
            {
                server.RequireClientCertificate = true;
                server.ClientCertificateValidator = _ => "x";
            });
        h.ClientToServer = (level, flight) => level != EncryptionLevel.Handshake ? flight
            : HandshakeHarness.RewriteMessage(flight, HandshakeType.CertificateVerify, message =>
            {
                byte[] copy = (byte[])message.Clone();
                copy[12] ^= 0x04;
                return copy;
            });
        h.Run();
        Assert.Equal(AlertDescription.DecryptError, h.Server.Alert);
        Assert.Null(h.Server.ClientIdentity);
    }

    [Fact]
    public void ClientSkippingRequestedCertificate_IsUnexpectedMessage()
    {
        using HandshakeHarness h = Harness(
            client => client.ClientCredential = TestCertificates.EcdsaClient,
            server =>
            {
                server.RequestClientCertificate = true;
                server.ClientCertificateValidator = _ => "x";
            });
        h.ClientToServer = (level, flight) => level != EncryptionLevel.Handshake ? flight
            : [.. HandshakeHarness.SplitMessages(flight).Where(m => m[0] == (byte)HandshakeType.Finished).SelectMany(m => m)];
        h.Run();
        Assert.Equal(AlertDescription.UnexpectedMessage, h.Server.Alert);
    }

    [Fact]
    public void ClientEndOfEarlyData_IsUnexpectedMessage()
    {
        using HandshakeHarness h = Harness();
        h.ClientToServer = (level, flight) => level != EncryptionLevel.Handshake ? flight : [5, 0, 0, 0, .. flight];
        h.Run();
        Assert.Equal(AlertDescription.UnexpectedMessage, h.Server.Alert);
    }
}
