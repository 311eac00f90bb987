using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Tests.Simulation;
using AwgProxy.Quic.Tests.Tls;

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
    }
}
