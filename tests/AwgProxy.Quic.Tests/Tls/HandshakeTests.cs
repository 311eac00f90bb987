using System.Security.Cryptography.X509Certificates;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Quic.Tests.Tls;

/// <summary>Complete handshakes between this stack's client and server, in memory.</summary>
public class HandshakeTests
{
    private static HandshakeHarness Run(TlsClientOptions client, TlsServerOptions server, int chunkSize = 0)
    {
        var harness = new HandshakeHarness(client, server) { ChunkSize = chunkSize };
        return harness.Run();
    }

    private static void AssertSucceeded(HandshakeHarness h)
    {
        Assert.True(h.Client.IsHandshakeComplete, $"client: {h.Client.FailureReason}");
        Assert.True(h.Server.IsHandshakeComplete, $"server: {h.Server.FailureReason}");
        Assert.False(h.Client.IsFailed);
        Assert.False(h.Server.IsFailed);
    }

    /// <summary>Every secret one side writes with is the secret the other side reads with, at every level.</summary>
    private static void AssertSecretsAgree(HandshakeHarness h)
    {
        foreach (EncryptionLevel level in new[] { EncryptionLevel.Handshake, EncryptionLevel.OneRtt })
        {
            byte[]? clientWrite = HandshakeHarness.Secret(h.ClientEvents, level, TlsSecretDirection.Write);
            byte[]? clientRead = HandshakeHarness.Secret(h.ClientEvents, level, TlsSecretDirection.Read);
            byte[]? serverWrite = HandshakeHarness.Secret(h.ServerEvents, level, TlsSecretDirection.Write);
            byte[]? serverRead = HandshakeHarness.Secret(h.ServerEvents, level, TlsSecretDirection.Read);
            Assert.NotNull(clientWrite);
            Assert.NotNull(serverWrite);
            Assert.Equal(clientWrite, serverRead);
            Assert.Equal(serverWrite, clientRead);
            Assert.NotEqual(clientWrite, serverWrite);
            Assert.Equal(h.Client.CipherSuite!.Value.HashLength(), clientWrite!.Length);
        }
    }

    private static string Describe(TlsEvent e) => e.Kind switch
    {
        TlsEventKind.WriteData => $"Write:{e.Level}",
        TlsEventKind.SecretsAvailable => $"Secret:{e.Level}:{e.Direction}",
        TlsEventKind.PeerTransportParameters => "TransportParameters",
        _ => "Complete",
    };

    [Fact]
    public void X25519Handshake_CompletesWithAgreeingSecretsAndRfc9001EventOrder()
    {
        using HandshakeHarness h = Run(HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa), HandshakeHarness.ServerOptions(TestCertificates.Ecdsa));

        AssertSucceeded(h);
        AssertSecretsAgree(h);
        Assert.Equal(
            ["Write:Initial", "Secret:Handshake:Write", "Secret:Handshake:Read", "TransportParameters",
             "Secret:OneRtt:Read", "Write:Handshake", "Secret:OneRtt:Write", "Complete"],
            h.ClientEvents.Select(Describe));
        Assert.Equal(
            ["TransportParameters", "Write:Initial", "Secret:Handshake:Write", "Secret:Handshake:Read", "Write:Handshake",
             "Secret:OneRtt:Write", "Secret:OneRtt:Read", "Complete"],
            h.ServerEvents.Select(Describe));

        Assert.Equal(NamedGroup.X25519, h.Client.KeyExchangeGroup);
        Assert.Equal(NamedGroup.X25519, h.Server.KeyExchangeGroup);
        Assert.Equal(CipherSuitePreference.Default[0], h.Client.CipherSuite);
        Assert.Equal(CipherSuitePreference.Default[0], h.Server.CipherSuite);
        Assert.Equal(HandshakeHarness.Alpn, h.Client.ApplicationProtocol);
        Assert.Equal(HandshakeHarness.Alpn, h.Server.ApplicationProtocol);
        Assert.False(h.Client.HelloRetryRequested);
        Assert.False(h.Server.HelloRetryRequested);
        Assert.Equal(HandshakeHarness.ServerTransportParameters, h.Client.PeerTransportParameters);
        Assert.Equal(HandshakeHarness.ClientTransportParameters, h.Server.PeerTransportParameters);
        Assert.Equal(HandshakeHarness.ServerTransportParameters, h.ClientEvents.Single(e => e.Kind == TlsEventKind.PeerTransportParameters).Data.ToArray());
        Assert.Equal(TestCertificates.Ecdsa.CertificateChain[0], h.Client.PeerCertificate!.Certificate);
        Assert.Equal(TlsPublicKeyType.EcdsaP256, h.Client.PeerCertificate.KeyType);
        Assert.Null(h.Server.PeerCertificate);
        Assert.Null(h.Server.ClientIdentity);
        Assert.Equal("localhost", h.Server.RequestedServerName);
        Assert.Equal(EncryptionLevel.OneRtt, h.Client.ReadLevel);
        Assert.Equal(EncryptionLevel.OneRtt, h.Server.ReadLevel);
    }

    [Fact]
    public void SecretsAvailable_CarryTheNegotiatedSuite()
    {
        using HandshakeHarness h = Run(HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa), HandshakeHarness.ServerOptions(TestCertificates.Ecdsa));
        Assert.All(h.ClientEvents.Concat(h.ServerEvents).Where(e => e.Kind == TlsEventKind.SecretsAvailable),
            e => Assert.Equal(CipherSuitePreference.Default[0], e.CipherSuite));
    }

    [Fact]
    public void P256OnlyBothSides_CompletesWithoutRetry()
    {
        TlsClientOptions client = HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa);
        client.Groups = [NamedGroup.Secp256r1];
        client.KeyShareGroups = [NamedGroup.Secp256r1];
        TlsServerOptions server = HandshakeHarness.ServerOptions(TestCertificates.Ecdsa);
        server.Groups = [NamedGroup.Secp256r1];

        using HandshakeHarness h = Run(client, server);

        AssertSucceeded(h);
        AssertSecretsAgree(h);
        Assert.Equal(NamedGroup.Secp256r1, h.Client.KeyExchangeGroup);
        Assert.False(h.Client.HelloRetryRequested);
    }

    [Fact]
    public void ClientSharesX25519AndServerOnlyAcceptsP256_HelloRetryRequestThenSuccess()
    {
        TlsServerOptions server = HandshakeHarness.ServerOptions(TestCertificates.Ecdsa);
        server.Groups = [NamedGroup.Secp256r1];

        using HandshakeHarness h = Run(HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa), server);

        AssertSucceeded(h);
        AssertSecretsAgree(h);
        Assert.True(h.Client.HelloRetryRequested);
        Assert.True(h.Server.HelloRetryRequested);
        Assert.Equal(NamedGroup.Secp256r1, h.Client.KeyExchangeGroup);
        Assert.Equal(
            ["Write:Initial", "Write:Initial", "Secret:Handshake:Write", "Secret:Handshake:Read", "TransportParameters",
             "Secret:OneRtt:Read", "Write:Handshake", "Secret:OneRtt:Write", "Complete"],
            h.ClientEvents.Select(Describe));
        Assert.Equal(
            ["Write:Initial", "TransportParameters", "Write:Initial", "Secret:Handshake:Write", "Secret:Handshake:Read",
             "Write:Handshake", "Secret:OneRtt:Write", "Secret:OneRtt:Read", "Complete"],
            h.ServerEvents.Select(Describe));
    }

    [Fact]
    public void HelloRetryRequestWithSha384Suite_UsesMessageHashOfThatSuite()
    {
        TlsClientOptions client = HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa);
        client.CipherSuites = [CipherSuite.TLS_AES_256_GCM_SHA384];
        TlsServerOptions server = HandshakeHarness.ServerOptions(TestCertificates.Ecdsa);
        server.Groups = [NamedGroup.Secp256r1];

        using HandshakeHarness h = Run(client, server);

        AssertSucceeded(h);
        AssertSecretsAgree(h);
        Assert.True(h.Client.HelloRetryRequested);
        Assert.Equal(CipherSuite.TLS_AES_256_GCM_SHA384, h.Client.CipherSuite);
    }

    [Theory]
    [InlineData(CipherSuite.TLS_AES_128_GCM_SHA256)]
    [InlineData(CipherSuite.TLS_AES_256_GCM_SHA384)]
    [InlineData(CipherSuite.TLS_CHACHA20_POLY1305_SHA256)]
    public void EachCipherSuite_Completes(CipherSuite suite)
    {
        Assert.True(suite.IsSupported(), $"{suite} is not supported on this platform");
        TlsClientOptions client = HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa);
        client.CipherSuites = [suite];

        using HandshakeHarness h = Run(client, HandshakeHarness.ServerOptions(TestCertificates.Ecdsa));

        AssertSucceeded(h);
        AssertSecretsAgree(h);
        Assert.Equal(suite, h.Client.CipherSuite);
        Assert.Equal(suite, h.Server.CipherSuite);
    }

    [Fact]
    public void ServerPreference_PicksServersFirstSuiteTheClientOffers()
    {
        TlsServerOptions server = HandshakeHarness.ServerOptions(TestCertificates.Ecdsa);
        server.CipherSuites = [CipherSuite.TLS_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_AES_128_GCM_SHA256];
        using HandshakeHarness h = Run(HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa), server);
        AssertSucceeded(h);
        Assert.Equal(CipherSuite.TLS_CHACHA20_POLY1305_SHA256, h.Client.CipherSuite);
    }

    [Fact]
    public void DefaultServer_ClientOfferingAes128First_GetsTheServersFastestSuite()
    {
        TlsClientOptions client = HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa);
        client.CipherSuites = [CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256];
        using HandshakeHarness h = Run(client, HandshakeHarness.ServerOptions(TestCertificates.Ecdsa));
        AssertSucceeded(h);
        Assert.Equal(CipherSuitePreference.Default[0], h.Server.CipherSuite);
        Assert.Equal(CipherSuitePreference.Default[0], h.Client.CipherSuite);
    }

    [Fact]
    public void RsaPssServerCertificate_Completes()
    {
        using HandshakeHarness h = Run(HandshakeHarness.ClientOptionsPinning(TestCertificates.Rsa), HandshakeHarness.ServerOptions(TestCertificates.Rsa));
        AssertSucceeded(h);
        AssertSecretsAgree(h);
        Assert.Equal(TlsPublicKeyType.Rsa, h.Client.PeerCertificate!.KeyType);
    }

    [Fact]
    public void Ed25519ServerCertificatePinnedByRawKey_Completes()
    {
        TlsClientOptions client = HandshakeHarness.ClientOptions(TlsServerCertificatePolicy.PinnedPublicKeys([TestCertificates.Ed25519ServerKey.PublicKey]));
        using HandshakeHarness h = Run(client, HandshakeHarness.ServerOptions(TestCertificates.Ed25519Server));
        AssertSucceeded(h);
        AssertSecretsAgree(h);
        Assert.Equal(TlsPublicKeyType.Ed25519, h.Client.PeerCertificate!.KeyType);
        Assert.Equal(TestCertificates.Ed25519ServerKey.PublicKey, h.Client.PeerCertificate.Ed25519PublicKey);
    }

    [Fact]
    public void InteropPemCertificates_CompleteForEcdsaAndRsa()
    {
        foreach ((string certificate, string key) in new[]
        {
            (InteropCertificates.EcdsaCertificatePem, InteropCertificates.EcdsaKeyPem),
            (InteropCertificates.RsaCertificatePem, InteropCertificates.RsaKeyPem),
        })
        {
            TlsCertificateCredential credential = TlsCertificateCredential.FromPem(certificate, key);
            using HandshakeHarness h = Run(HandshakeHarness.ClientOptionsPinning(credential), HandshakeHarness.ServerOptions(credential));
            AssertSucceeded(h);
            AssertSecretsAgree(h);
        }
    }

    [Fact]
    public void WrongPin_IsRefusedWithBadCertificate()
    {
        TlsClientOptions client = HandshakeHarness.ClientOptionsPinning(TestCertificates.Rsa);
        using HandshakeHarness h = Run(client, HandshakeHarness.ServerOptions(TestCertificates.Ecdsa));

        Assert.True(h.Client.IsFailed);
        Assert.Equal(AlertDescription.BadCertificate, h.Client.Alert);
        Assert.Equal(TransportErrorCodeExtensions.FromTlsAlert(42), h.Client.Error);
        Assert.False(h.Server.IsHandshakeComplete);
        Assert.DoesNotContain(h.ClientEvents, e => e.Kind == TlsEventKind.SecretsAvailable && e.Level == EncryptionLevel.OneRtt);
    }

    [Fact]
    public void CaChainWithMatchingHostName_IsAccepted()
    {
        var roots = new X509Certificate2Collection(TestCertificates.CaRoot);
        TlsClientOptions client = HandshakeHarness.ClientOptions(TlsServerCertificatePolicy.CertificateAuthorities(roots, TestCertificates.VerificationTime));
        client.ServerName = "server.test";

        using HandshakeHarness h = Run(client, HandshakeHarness.ServerOptions(TestCertificates.CaSignedLeaf));

        AssertSucceeded(h);
        Assert.Equal("server.test", h.Server.RequestedServerName);
    }

    [Fact]
    public void CaChainWithWrongHostName_IsRefusedWithBadCertificate()
    {
        var roots = new X509Certificate2Collection(TestCertificates.CaRoot);
        TlsClientOptions client = HandshakeHarness.ClientOptions(TlsServerCertificatePolicy.CertificateAuthorities(roots, TestCertificates.VerificationTime));
        client.ServerName = "other.test";

        using HandshakeHarness h = Run(client, HandshakeHarness.ServerOptions(TestCertificates.CaSignedLeaf));

        Assert.Equal(AlertDescription.BadCertificate, h.Client.Alert);
        Assert.Contains("other.test", h.Client.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void CaChainFromAnotherRoot_IsRefusedWithUnknownCa()
    {
        using var otherRoot = X509CertificateLoader.LoadCertificate(TestCertificates.Ecdsa.CertificateChain[0]);
        TlsClientOptions client = HandshakeHarness.ClientOptions(TlsServerCertificatePolicy.CertificateAuthorities([otherRoot], TestCertificates.VerificationTime));
        client.ServerName = "server.test";

        using HandshakeHarness h = Run(client, HandshakeHarness.ServerOptions(TestCertificates.CaSignedLeaf));

        Assert.Equal(AlertDescription.UnknownCa, h.Client.Alert);
    }

    [Fact]
    public void CaChainCheckedAfterExpiry_IsRefusedWithCertificateExpired()
    {
        var roots = new X509Certificate2Collection(TestCertificates.CaRoot);
        TlsClientOptions client = HandshakeHarness.ClientOptions(TlsServerCertificatePolicy.CertificateAuthorities(roots, new DateTimeOffset(2150, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        client.ServerName = "server.test";

        using HandshakeHarness h = Run(client, HandshakeHarness.ServerOptions(TestCertificates.CaSignedLeaf));

        Assert.Equal(AlertDescription.CertificateExpired, h.Client.Alert);
    }

    [Fact]
    public void InteropCertificateAsItsOwnRoot_AcceptsLocalhostAndIpLiteral()
    {
        TlsCertificateCredential credential = TlsCertificateCredential.FromPem(InteropCertificates.EcdsaCertificatePem, InteropCertificates.EcdsaKeyPem);
        using var root = X509Certificate2.CreateFromPem(InteropCertificates.EcdsaCertificatePem);
        foreach (string name in new[] { "localhost", "127.0.0.1" })
        {
            TlsClientOptions client = HandshakeHarness.ClientOptions(TlsServerCertificatePolicy.CertificateAuthorities([root], TestCertificates.VerificationTime));
            client.ServerName = name;
            using HandshakeHarness h = Run(client, HandshakeHarness.ServerOptions(credential));
            AssertSucceeded(h);
            Assert.Equal(name == "localhost" ? "localhost" : null, h.Server.RequestedServerName);
        }
    }

    [Theory]
    [InlineData("ecdsa")]
    [InlineData("ed25519")]
    public void ClientAuthentication_AcceptedByValidator_ExposesIdentity(string keyType)
    {
        TlsCertificateCredential clientCredential = keyType == "ecdsa" ? TestCertificates.EcdsaClient : TestCertificates.Ed25519Client;
        TlsClientOptions client = HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa);
        client.ClientCredential = clientCredential;
        TlsServerOptions server = HandshakeHarness.ServerOptions(TestCertificates.Ecdsa);
        server.RequireClientCertificate = true;
        TlsPeerCertificate? seen = null;
        server.ClientCertificateValidator = certificate =>
        {
            seen = certificate;
            return "client-42";
        };

        using HandshakeHarness h = Run(client, server);

        AssertSucceeded(h);
        AssertSecretsAgree(h);
        Assert.Equal("client-42", h.Server.ClientIdentity);
        Assert.Equal(clientCredential.CertificateChain[0], seen!.Certificate);
        Assert.Equal(clientCredential.CertificateChain[0], h.Server.PeerCertificate!.Certificate);
        if (keyType == "ed25519") Assert.Equal(TestCertificates.Ed25519ClientKey.PublicKey, seen.Ed25519PublicKey);
    }

    [Fact]
    public void ClientAuthentication_RefusedByValidator_FailsWithBadCertificate()
    {
        TlsClientOptions client = HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa);
        client.ClientCredential = TestCertificates.Ed25519Client;
        TlsServerOptions server = HandshakeHarness.ServerOptions(TestCertificates.Ecdsa);
        server.RequireClientCertificate = true;
        server.ClientCertificateValidator = _ => null;

        using HandshakeHarness h = Run(client, server);

        Assert.True(h.Client.IsHandshakeComplete);
        Assert.True(h.Server.IsFailed);
        Assert.Equal(AlertDescription.BadCertificate, h.Server.Alert);
        Assert.Null(h.Server.ClientIdentity);
        Assert.DoesNotContain(h.ServerEvents, e => e.Kind == TlsEventKind.HandshakeComplete);
    }

    [Fact]
    public void ClientAuthenticationRequired_ClientWithoutCertificate_FailsWithCertificateRequired()
    {
        TlsServerOptions server = HandshakeHarness.ServerOptions(TestCertificates.Ecdsa);
        server.RequireClientCertificate = true;
        server.ClientCertificateValidator = _ => "never";

        using HandshakeHarness h = Run(HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa), server);

        Assert.Equal(AlertDescription.CertificateRequired, h.Server.Alert);
        Assert.Equal(TransportErrorCodeExtensions.FromTlsAlert(116), h.Server.Error);
    }

    [Fact]
    public void ClientAuthenticationRequested_ClientWithoutCertificate_CompletesAnonymously()
    {
        TlsServerOptions server = HandshakeHarness.ServerOptions(TestCertificates.Ecdsa);
        server.RequestClientCertificate = true;
        server.ClientCertificateValidator = _ => "never";

        using HandshakeHarness h = Run(HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa), server);

        AssertSucceeded(h);
        Assert.Null(h.Server.ClientIdentity);
        Assert.Null(h.Server.PeerCertificate);
    }

    [Fact]
    public void AlpnMismatch_FailsWithNoApplicationProtocol()
    {
        TlsServerOptions server = HandshakeHarness.ServerOptions(TestCertificates.Ecdsa);
        server.ApplicationProtocols = [new System.Net.Security.SslApplicationProtocol("h3"u8.ToArray())];

        using HandshakeHarness h = Run(HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa), server);

        Assert.Equal(AlertDescription.NoApplicationProtocol, h.Server.Alert);
        Assert.Equal((TransportErrorCode)0x178, h.Server.Error);
        Assert.False(h.Client.IsHandshakeComplete);
    }

    [Fact]
    public void NoCommonCipherSuite_FailsWithHandshakeFailure()
    {
        TlsClientOptions client = HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa);
        client.CipherSuites = [CipherSuite.TLS_AES_256_GCM_SHA384];
        TlsServerOptions server = HandshakeHarness.ServerOptions(TestCertificates.Ecdsa);
        server.CipherSuites = [CipherSuite.TLS_AES_128_GCM_SHA256];

        using HandshakeHarness h = Run(client, server);

        Assert.Equal(AlertDescription.HandshakeFailure, h.Server.Alert);
    }

    [Fact]
    public void NoCommonGroup_FailsWithHandshakeFailure()
    {
        TlsClientOptions client = HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa);
        client.Groups = [NamedGroup.X25519];
        TlsServerOptions server = HandshakeHarness.ServerOptions(TestCertificates.Ecdsa);
        server.Groups = [NamedGroup.Secp256r1];

        using HandshakeHarness h = Run(client, server);

        Assert.Equal(AlertDescription.HandshakeFailure, h.Server.Alert);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(17)]
    public void FlightsDeliveredInSmallChunks_StillComplete(int chunkSize)
    {
        TlsServerOptions server = HandshakeHarness.ServerOptions(TestCertificates.Rsa);
        server.Groups = [NamedGroup.Secp256r1];
        server.RequireClientCertificate = true;
        server.ClientCertificateValidator = _ => "ok";
        TlsClientOptions client = HandshakeHarness.ClientOptionsPinning(TestCertificates.Rsa);
        client.ClientCredential = TestCertificates.EcdsaClient;

        using HandshakeHarness h = Run(client, server, chunkSize);

        AssertSucceeded(h);
        AssertSecretsAgree(h);
    }

    [Fact]
    public void SameSeeds_GiveIdenticalHandshakeBytes()
    {
        static List<byte[]> Transcript(HandshakeHarness h) => [.. h.ClientEvents.Concat(h.ServerEvents).Where(e => e.Kind == TlsEventKind.WriteData).Select(e => e.Data.ToArray())];

        TlsCertificateCredential credential = TestCertificates.Ed25519Server;
        using HandshakeHarness first = Run(HandshakeHarness.ClientOptionsPinning(credential, seed: 7), HandshakeHarness.ServerOptions(credential, seed: 8));
        using HandshakeHarness second = Run(HandshakeHarness.ClientOptionsPinning(credential, seed: 7), HandshakeHarness.ServerOptions(credential, seed: 8));
        using HandshakeHarness other = Run(HandshakeHarness.ClientOptionsPinning(credential, seed: 9), HandshakeHarness.ServerOptions(credential, seed: 8));

        AssertSucceeded(first);
        Assert.Equal(Transcript(first), Transcript(second));
        Assert.NotEqual(Transcript(first)[0], Transcript(other)[0]);
    }
}
