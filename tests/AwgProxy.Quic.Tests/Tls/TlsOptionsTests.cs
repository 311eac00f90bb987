using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Quic.Tests.Tls;

/// <summary>Options are validated when the session is created; the message names the bad property.</summary>
public class TlsOptionsTests
{
    private static void AssertClientRefused(Action<TlsClientOptions> change, string property)
    {
        TlsClientOptions options = HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa);
        change(options);
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => TlsSession.CreateClient(options));
        Assert.Equal(property, e.ParamName);
    }

    private static void AssertServerRefused(Action<TlsServerOptions> change, string property)
    {
        TlsServerOptions options = HandshakeHarness.ServerOptions(TestCertificates.Ecdsa);
        change(options);
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => TlsSession.CreateServer(options));
        Assert.Equal(property, e.ParamName);
    }

    [Fact]
    public void ClientOptions_AreValidated()
    {
        AssertClientRefused(o => o.ApplicationProtocols = [], nameof(TlsClientOptions.ApplicationProtocols));
        AssertClientRefused(o => o.ApplicationProtocols = [default(SslApplicationProtocol)], nameof(TlsClientOptions.ApplicationProtocols));
        AssertClientRefused(o => o.TransportParameters = null, nameof(TlsClientOptions.TransportParameters));
        AssertClientRefused(o => o.CipherSuites = [], nameof(TlsClientOptions.CipherSuites));
        AssertClientRefused(o => o.CipherSuites = [(CipherSuite)0x1304], nameof(TlsClientOptions.CipherSuites));
        AssertClientRefused(o => o.Groups = [(NamedGroup)0x0018], nameof(TlsClientOptions.Groups));
        AssertClientRefused(o => o.Groups = [NamedGroup.X25519, NamedGroup.X25519], nameof(TlsClientOptions.Groups));
        AssertClientRefused(o => o.KeyShareGroups = [NamedGroup.Secp256r1, NamedGroup.Secp256r1], nameof(TlsClientOptions.KeyShareGroups));
        AssertClientRefused(o => o.Groups = [NamedGroup.Secp256r1], nameof(TlsClientOptions.KeyShareGroups));
        AssertClientRefused(o => o.ServerCertificatePolicy = null, nameof(TlsClientOptions.ServerCertificatePolicy));
        AssertClientRefused(o => o.ServerName = "bad name", nameof(TlsClientOptions.ServerName));
        AssertClientRefused(o =>
        {
            o.ServerName = null;
            o.ServerCertificatePolicy = TlsServerCertificatePolicy.CertificateAuthorities(new X509Certificate2Collection(TestCertificates.CaRoot));
        }, nameof(TlsClientOptions.ServerName));
    }

    [Fact]
    public void ServerOptions_AreValidated()
    {
        AssertServerRefused(o => o.ServerCredential = null, nameof(TlsServerOptions.ServerCredential));
        AssertServerRefused(o => o.RequestClientCertificate = true, nameof(TlsServerOptions.ClientCertificateValidator));
        AssertServerRefused(o => o.RequireClientCertificate = true, nameof(TlsServerOptions.ClientCertificateValidator));
        AssertServerRefused(o => o.MaxHandshakeMessageSize = 10, nameof(TlsServerOptions.MaxHandshakeMessageSize));
    }

    [Fact]
    public void Policies_RefuseEmptyInputs()
    {
        Assert.Throws<ArgumentException>(() => TlsServerCertificatePolicy.PinnedPublicKeys([]));
        Assert.Throws<ArgumentException>(() => TlsServerCertificatePolicy.CertificateAuthorities([]));
    }

    [Fact]
    public void ClientWithEmptyKeyShareList_AlwaysGetsAHelloRetryRequest()
    {
        TlsClientOptions client = HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa);
        client.KeyShareGroups = [];
        using HandshakeHarness h = new HandshakeHarness(client, HandshakeHarness.ServerOptions(TestCertificates.Ecdsa)).Run();
        Assert.True(h.Client.IsHandshakeComplete, h.Client.FailureReason);
        Assert.True(h.Client.HelloRetryRequested);
        Assert.Equal(NamedGroup.X25519, h.Client.KeyExchangeGroup);
    }

    [Fact]
    public void OptionChangesAfterCreation_DoNotReachTheSession()
    {
        TlsClientOptions client = HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa);
        TlsServerOptions server = HandshakeHarness.ServerOptions(TestCertificates.Ecdsa);
        using var h = new HandshakeHarness(client, server);
        client.ApplicationProtocols = [new SslApplicationProtocol("other"u8.ToArray())];
        server.TransportParameters![0] = 0x7F;
        h.Run();
        Assert.True(h.Client.IsHandshakeComplete);
        Assert.Equal(HandshakeHarness.Alpn, h.Client.ApplicationProtocol);
        Assert.Equal(HandshakeHarness.ServerTransportParameters, h.Client.PeerTransportParameters);
    }
}
