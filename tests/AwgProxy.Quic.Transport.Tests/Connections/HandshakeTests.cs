using System.Net;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Transport.Paths;
using AwgProxy.Quic.Transport.Tests.Support;

namespace AwgProxy.Quic.Transport.Tests.Connections;

public class HandshakeTests
{
    [Fact]
    public async Task UdpLoopback_HandshakeCompletes_WithAlpnAndServerCertificate()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();

        Assert.Equal(TestPeers.Alpn, pair.Client.NegotiatedApplicationProtocol);
        Assert.Equal(TestPeers.Alpn, pair.Server.NegotiatedApplicationProtocol);
        Assert.NotNull(pair.Client.RemoteCertificate);
        Assert.Equal(TestPeers.ServerKey.PublicKey, pair.Client.RemoteCertificate!.Ed25519PublicKey);
        Assert.Equal(pair.Listener.LocalEndPoint, pair.Client.RemoteEndPoint);
        Assert.Equal(((IPEndPoint)pair.Client.LocalEndPoint).Port, pair.Server.RemoteEndPoint.Port);
    }

    [Fact]
    public async Task UdpLoopback_BothSidesReportCipherSuiteAndGroup()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();

        Assert.Equal(CipherSuitePreference.Default[0], pair.Client.NegotiatedCipherSuite);
        Assert.Equal(CipherSuitePreference.Default[0], pair.Server.NegotiatedCipherSuite);
        Assert.Equal(NamedGroup.X25519, pair.Client.NegotiatedKeyExchangeGroup);
        Assert.Equal(NamedGroup.X25519, pair.Server.NegotiatedKeyExchangeGroup);
    }

    [Fact]
    public async Task InMemory_HandshakeCompletes()
    {
        var network = new InMemoryDatagramNetwork();
        await using ConnectedPair pair = await ConnectedPair.InMemoryAsync(network);

        Assert.Equal(TestPeers.Alpn, pair.Client.NegotiatedApplicationProtocol);
        Assert.True(network.Delivered > 0);
    }
}
