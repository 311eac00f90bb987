using System.Net;
using System.Net.Sockets;
using AwgProxy.Quic.Transport.Paths;
using AwgProxy.Tunnel.Client;
using AwgProxy.Tunnel.Protocol;
using AwgProxy.Tunnel.Quic;
using AwgProxy.Tunnel.Tests.Doubles;

namespace AwgProxy.Tunnel.Tests.Quic;

/// <summary>
/// A network change on the client (<see cref="TunnelClient.OnNetworkChanged"/>): the QUIC connection moves to a new
/// local socket and its streams carry on, without a reconnect; connections that cannot move are left alone.
/// </summary>
public class NetworkChangeMigrationTests
{
    [Fact]
    public async Task NetworkChange_MovesTheConnectionToANewSocket_TheOpenStreamCarriesOn_NoReconnect()
    {
        await using QuicTunnelHarness harness = await QuicTunnelHarness.StartAsync();
        await using TcpTestServer destination = TcpTestServer.Start();
        var holes = new List<Blackhole>();
        var factory = new RecordingFactory(harness.Factory(configure: o => o.DatagramPathFactory = endPoint =>
        {
            var hole = new Blackhole();
            lock (holes) holes.Add(hole);
            return new BlackholePath(UdpDatagramPath.Bind(endPoint), hole);
        }));
        await using var client = new TunnelClient(factory, new TunnelClientOptions(), harness.ClientMetrics);

        TunnelOpenResult open = await client.OpenAsync(TunnelDestination.FromAddress(IPAddress.Loopback, destination.Port), CancellationToken.None).Bounded();
        Assert.Equal(TunnelStatus.Succeeded, open.Status);
        await using ITunnelStream stream = open.Stream!;
        using Socket upstream = await destination.AcceptAsync();
        await stream.WriteAsync("ping"u8.ToArray());
        Assert.Equal("ping", await ReceiveAsync(upstream, 4));
        var connection = ((QuicTunnelConnection)Assert.Single(factory.Connections)).Connection;
        EndPoint before = connection.LocalEndPoint;

        // The old network is gone (its socket carries nothing any more) and the system says so, in a burst.
        lock (holes) holes[0].On = true;
        client.OnNetworkChanged();
        client.OnNetworkChanged();
        client.OnNetworkChanged();
        for (int i = 0; i < 200 && client.MigrationCount == 0; i++) await Task.Delay(50);

        Assert.Equal(1, client.MigrationCount);
        Assert.NotEqual(before, connection.LocalEndPoint);
        lock (holes) Assert.Equal(2, holes.Count);

        // The same stream goes on over the new socket, both ways.
        await stream.WriteAsync("after"u8.ToArray());
        Assert.Equal("after", await ReceiveAsync(upstream, 5));
        await upstream.SendAsync("back"u8.ToArray());
        byte[] buffer = new byte[4];
        int read = 0;
        while (read < 4) read += await stream.ReadAsync(buffer.AsMemory(read)).AsTask().Bounded();
        Assert.Equal("back", System.Text.Encoding.ASCII.GetString(buffer));
        Assert.Equal(0, client.ReconnectCount);
        Assert.Single(factory.Connections);
    }

    [Fact]
    public async Task NetworkChange_ConnectionThatCannotMove_IsLeftAsItIs_AndSaysSo()
    {
        // The in-memory tunnel connection has no local socket: it keeps the default MigrateAsync (false).
        await using TunnelHarness harness = TunnelHarness.Create();
        await using TcpTestServer destination = TcpTestServer.Start();
        TunnelOpenResult open = await harness.Client.OpenAsync(TunnelHarness.To(destination), CancellationToken.None).Bounded();
        Assert.Equal(TunnelStatus.Succeeded, open.Status);
        await open.Stream!.DisposeAsync();

        harness.Client.OnNetworkChanged();
        for (int i = 0; i < 200 && !harness.Logs.GetSnapshot().Any(r => r.Id.Name == "MigrationSkipped"); i++) await Task.Delay(25);

        Assert.Contains(harness.Logs.GetSnapshot(), r => r.Id.Name == "MigrationSkipped");
        Assert.Equal(0, harness.Client.MigrationCount);
        Assert.True(harness.Client.IsConnected);
        Assert.Equal(0, harness.Client.ReconnectCount);
    }

    private static async Task<string> ReceiveAsync(Socket socket, int count)
    {
        byte[] buffer = new byte[count];
        int read = 0;
        while (read < count)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(read)).AsTask().Bounded();
            Assert.True(n > 0, "the destination connection closed");
            read += n;
        }

        return System.Text.Encoding.ASCII.GetString(buffer);
    }
}
