using System.Net;
using AwgProxy.Quic.Transport;
using AwgProxy.Quic.Transport.Paths;
using AwgProxy.Tunnel.Client;
using AwgProxy.Tunnel.Protocol;
using AwgProxy.Tunnel.Quic;
using AwgProxy.Tunnel.Tests.Doubles;

namespace AwgProxy.Tunnel.Tests.Quic;

/// <summary>Dead-path detection in the tunnel: a path that stops carrying anything ends the connection, and the client reconnects.</summary>
public class DeadPathReconnectTests
{
    [Fact]
    public async Task BlackholedPath_ConnectionEndsAsDeadPath_ThenTheClientReconnectsOnceThePathReturns()
    {
        await using QuicTunnelHarness harness = await QuicTunnelHarness.StartAsync();
        await using TcpTestServer destination = TcpTestServer.Start();
        var blackhole = new Blackhole();
        var factory = new RecordingFactory(harness.Factory(configure: o =>
        {
            o.DatagramPathFactory = endPoint => new BlackholePath(UdpDatagramPath.Bind(endPoint), blackhole);
            o.KeepAliveInterval = TimeSpan.FromMilliseconds(200);
            o.DeadPathTimeout = TimeSpan.FromSeconds(1);
            o.HandshakeTimeout = TimeSpan.FromSeconds(1);
        }));
        var options = new TunnelClientOptions
        {
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(300),
            RequestWaitTimeout = TimeSpan.FromSeconds(15),
        };
        await using var client = new TunnelClient(factory, options, harness.ClientMetrics);
        TunnelDestination target = TunnelDestination.FromAddress(IPAddress.Loopback, destination.Port);

        TunnelOpenResult first = await client.OpenAsync(target, CancellationToken.None).Bounded();
        Assert.Equal(TunnelStatus.Succeeded, first.Status);
        await first.Stream!.DisposeAsync();

        // The path dies: the idle connection's keep-alive goes unanswered and dead-path detection ends it (the idle
        // timeout, two minutes, plays no part).
        blackhole.On = true;
        QuicCloseReason reason = await ((QuicTunnelConnection)factory.Connections[0]).Connection.Closed.Bounded();
        Assert.True(reason.IsPathDead, reason.Message);
        Assert.Equal(QuicError.ConnectionTimeout, reason.Error);

        // While the path is down, attempts fail; once it is back the client reconnects and serves requests again.
        blackhole.On = false;
        TunnelOpenResult second = await client.OpenAsync(target, CancellationToken.None).Bounded();
        Assert.Equal(TunnelStatus.Succeeded, second.Status);
        await second.Stream!.DisposeAsync();
        Assert.Equal(1, client.ReconnectCount);
        Assert.Equal(2, factory.Connections.Count);
    }
}
