using System.Net;
using System.Security.Cryptography;
using AwgProxy.Quic.Transport.Paths;
using AwgProxy.Quic.Transport.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AwgProxy.Quic.Transport.Tests.Connections;

/// <summary>Active migration through <see cref="QuicConnection.RebindAsync"/> and dead-path detection, through the driver.</summary>
public class PathChangeTests
{
    /// <summary>Echoes <paramref name="length"/> bytes, calling <paramref name="midway"/> once half of them were written.</summary>
    private static async Task EchoWithActionMidwayAsync(ConnectedPair pair, int length, Func<Task> midway)
    {
        byte[] data = Payload.Create(length, seed: 7);
        Task serverSide = Task.Run(async () =>
        {
            await using QuicStream stream = await pair.Server.AcceptInboundStreamAsync();
            await Payload.EchoAsync(stream);
        });

        await using QuicStream client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        Task<(byte[] Hash, long Length)> reading = Payload.ReadToEndHashAsync(client);
        await Payload.WriteAllAsync(client, data.AsMemory(0, length / 2), complete: false);
        await midway();
        await Payload.WriteAllAsync(client, data.AsMemory(length / 2));
        (byte[] hash, long received) = await reading.WaitAsync(TestPeers.Bound);
        await serverSide.WaitAsync(TestPeers.Bound);

        Assert.Equal(length, received);
        Assert.Equal(SHA256.HashData(data), hash);
    }

    [Fact]
    public async Task Rebind_MidTransfer_OverUdp_ServerFollowsAndTheEchoArrivesIntact()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();
        var before = (IPEndPoint)pair.Client.LocalEndPoint;

        await EchoWithActionMidwayAsync(pair, 16 << 20, async () =>
        {
            await pair.Client.RebindAsync(new IPEndPoint(IPAddress.Loopback, 0)).AsTask().WaitAsync(TestPeers.Bound);
            Assert.NotEqual(before.Port, ((IPEndPoint)pair.Client.LocalEndPoint).Port);
        });

        var after = (IPEndPoint)pair.Client.LocalEndPoint;
        Assert.Equal(after.Port, pair.Server.RemoteEndPoint.Port);
        Assert.Equal(1, pair.Server.GetStats().PathMigrations);
        Assert.Equal(1, pair.Client.GetStats().PathMigrations);
        Assert.Equal(1, pair.Client.GetStats().PeerConnectionIdRotations);

        // The old socket is closed: its port can be bound again.
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, before.Port));
    }

    [Fact]
    public async Task Rebind_TwiceInMemory_TransferCompletesAndEachMoveIsValidated()
    {
        var network = new InMemoryDatagramNetwork();
        await using ConnectedPair pair = await ConnectedPair.InMemoryAsync(network);

        await EchoWithActionMidwayAsync(pair, 4 << 20, async () =>
        {
            await pair.Client.RebindAsync();
            for (int i = 0; i < 200 && pair.Client.GetStats().PathMigrations < 1; i++) await Task.Delay(10);
            await pair.Client.RebindAsync();
        });

        Assert.Equal(((IPEndPoint)pair.Client.LocalEndPoint).Port, pair.Server.RemoteEndPoint.Port);
        Assert.Equal(2, pair.Client.GetStats().PathMigrations);
    }

    [Fact]
    public async Task Rebind_ServerDisablesActiveMigration_ThrowsAndTheConnectionStaysWhereItWas()
    {
        var network = new InMemoryDatagramNetwork();
        await using ConnectedPair pair = await ConnectedPair.InMemoryAsync(network, configureServer: o => o.ConfigureTransport = c => c.DisableActiveMigration = true);
        EndPoint before = pair.Client.LocalEndPoint;

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => pair.Client.RebindAsync().AsTask());

        Assert.Contains("disable_active_migration", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, pair.Client.LocalEndPoint);
        await EchoWithActionMidwayAsync(pair, 64 << 10, () => Task.CompletedTask);
        await Assert.ThrowsAsync<InvalidOperationException>(() => pair.Server.RebindAsync().AsTask());
    }

    [Fact]
    public async Task DeadPath_InVirtualTime_ClosesWithConnectionTimeoutSoonAfterTheKeepAlive()
    {
        var time = new FakeTimeProvider();
        var network = new InMemoryDatagramNetwork();
        QuicListenerOptions listenerOptions = TestPeers.Listener(pathFactory: _ => network.CreatePath(), configure: o => o.IdleTimeout = TimeSpan.FromSeconds(60));
        listenerOptions.TimeProvider = time;
        await using ConnectedPair pair = await ConnectedPair.CreateAsync(listenerOptions, _ => network.CreatePath(), o =>
        {
            o.TimeProvider = time;
            o.IdleTimeout = TimeSpan.FromSeconds(60);
            o.KeepAliveInterval = TimeSpan.FromSeconds(1);
            o.DeadPathTimeout = TimeSpan.FromSeconds(3);
        });

        // The network stops carrying anything: the next keep-alive PING goes unanswered.
        network.Filter = (_, _, _) => false;
        TimeSpan elapsed = TimeSpan.Zero;
        while (!pair.Client.Closed.IsCompleted && elapsed < TimeSpan.FromSeconds(30))
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            elapsed += TimeSpan.FromMilliseconds(250);

            // Let the driver serve the timers due by now before the clock moves on (a bound, not a timing).
            await Task.WhenAny(pair.Client.Closed, Task.Delay(50));
        }

        QuicCloseReason reason = await pair.Client.Closed.WaitAsync(TestPeers.Bound);
        Assert.Equal(QuicError.ConnectionTimeout, reason.Error);
        Assert.True(reason.IsPathDead);
        Assert.True(reason.IsLocal);
        Assert.Contains("dead", reason.Message, StringComparison.Ordinal);

        // Within keep-alive + dead-path timeout (plus the driver's timer slack), long before the 60 s idle timeout.
        Assert.True(elapsed <= TimeSpan.FromSeconds(6), $"closed after {elapsed.TotalSeconds:0.00} s of virtual time");
        QuicException error = await Assert.ThrowsAsync<QuicException>(() => pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional).AsTask());
        Assert.Equal(QuicError.ConnectionTimeout, error.QuicError);
    }
}
