using System.Net;
using System.Net.Sockets;
using AwgProxy.Quic.Transport.Paths;
using AwgProxy.Quic.Transport.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AwgProxy.Quic.Transport.Tests.Connections;

public class ConnectionLifetimeTests
{
    [Fact]
    public async Task CloseWithApplicationCode_PeerObservesTheCode()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();
        ValueTask<QuicStream> accepting = pair.Server.AcceptInboundStreamAsync();

        await pair.Client.CloseAsync(42);

        QuicCloseReason reason = await pair.Server.Closed.WaitAsync(TestPeers.Bound);
        Assert.Equal(QuicError.ConnectionAborted, reason.Error);
        Assert.Equal(42, reason.ApplicationErrorCode);
        Assert.False(reason.IsLocal);
        QuicException error = await Assert.ThrowsAsync<QuicException>(() => accepting.AsTask().WaitAsync(TestPeers.Bound));
        Assert.Equal(42, error.ApplicationErrorCode);

        QuicCloseReason local = await pair.Client.Closed.WaitAsync(TestPeers.Bound);
        Assert.True(local.IsLocal);
        QuicException afterClose = await Assert.ThrowsAsync<QuicException>(() => pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional).AsTask());
        Assert.Equal(QuicError.OperationAborted, afterClose.QuicError);
    }

    [Fact]
    public async Task PeerClose_FailsPendingStreamOperations()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();
        await using QuicStream client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        await client.WriteAsync(new byte[] { 1 });
        await using QuicStream server = await pair.Server.AcceptInboundStreamAsync().AsTask().WaitAsync(TestPeers.Bound);
        ValueTask<int> pendingRead = client.ReadAsync(new byte[10]);

        await pair.Server.CloseAsync(7);

        QuicException error = await Assert.ThrowsAsync<QuicException>(() => pendingRead.AsTask().WaitAsync(TestPeers.Bound));
        Assert.Equal(QuicError.ConnectionAborted, error.QuicError);
        Assert.Equal(7, error.ApplicationErrorCode);
        await Assert.ThrowsAsync<QuicException>(() => client.WritesClosed.WaitAsync(TestPeers.Bound));
    }

    [Fact]
    public async Task IdleTimeout_ClosesBothSides()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync(
            configureServer: o => o.IdleTimeout = TimeSpan.FromMilliseconds(300),
            configureClient: o => o.IdleTimeout = TimeSpan.FromMilliseconds(300));

        QuicCloseReason client = await pair.Client.Closed.WaitAsync(TestPeers.Bound);
        QuicCloseReason server = await pair.Server.Closed.WaitAsync(TestPeers.Bound);

        Assert.Equal(QuicError.ConnectionIdle, client.Error);
        Assert.Equal(QuicError.ConnectionIdle, server.Error);
    }

    [Fact]
    public async Task IdleTimeout_InVirtualTime_FiresWhenTheClockPassesIt()
    {
        var time = new FakeTimeProvider();
        var network = new InMemoryDatagramNetwork();
        QuicListenerOptions listenerOptions = TestPeers.Listener(pathFactory: _ => network.CreatePath(), configure: o => o.IdleTimeout = TimeSpan.FromSeconds(20));
        listenerOptions.TimeProvider = time;
        await using ConnectedPair pair = await ConnectedPair.CreateAsync(listenerOptions, _ => network.CreatePath(), o =>
        {
            o.TimeProvider = time;
            o.IdleTimeout = TimeSpan.FromSeconds(20);
        });

        time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(100);
        Assert.False(pair.Client.Closed.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(QuicError.ConnectionIdle, (await pair.Client.Closed.WaitAsync(TestPeers.Bound)).Error);
        Assert.Equal(QuicError.ConnectionIdle, (await pair.Server.Closed.WaitAsync(TestPeers.Bound)).Error);
    }

    [Fact]
    public async Task ClientEndpoint_StopsAndReleasesItsPort_AfterTheClosingPeriod()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();
        int port = ((IPEndPoint)pair.Client.LocalEndPoint).Port;

        await pair.Client.CloseAsync(0);
        await pair.Client.Driver.Stopped.WaitAsync(TestPeers.Bound);

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, port));
    }

    [Fact]
    public async Task KeepAlive_KeepsAnIdleConnectionOpen()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync(
            configureServer: o => o.IdleTimeout = TimeSpan.FromSeconds(2),
            configureClient: o =>
            {
                o.IdleTimeout = TimeSpan.FromSeconds(2);
                o.KeepAliveInterval = TimeSpan.FromMilliseconds(100);
            });
        long sentBefore = pair.Client.GetStats().PacketsSent;

        await Task.Delay(3000);

        if (pair.Client.Closed.IsCompleted) Assert.Fail("client closed: " + await pair.Client.Closed);
        if (pair.Server.Closed.IsCompleted) Assert.Fail("server closed: " + await pair.Server.Closed);
        Assert.True(pair.Client.GetStats().PacketsSent > sentBefore);
    }

    [Fact]
    public async Task ListenerDispose_ClosesItsConnections()
    {
        ConnectedPair pair = await ConnectedPair.OverUdpAsync(configureServer: o => o.DefaultCloseErrorCode = 3);
        await using QuicConnection client = pair.Client;

        await pair.Listener.DisposeAsync();

        QuicCloseReason reason = await client.Closed.WaitAsync(TestPeers.Bound);
        Assert.Equal(3, reason.ApplicationErrorCode);
        Assert.True(pair.Server.Closed.IsCompleted);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pair.Listener.AcceptConnectionAsync().AsTask());
    }

    [Fact]
    public async Task ReceivePathFailure_SurfacesAsQuicExceptionToWaitingCallers()
    {
        var network = new InMemoryDatagramNetwork();
        FaultyPath? clientPath = null;
        QuicListenerOptions listenerOptions = TestPeers.Listener(pathFactory: _ => network.CreatePath());
        await using QuicListener listener = await QuicListener.ListenAsync(listenerOptions);
        ValueTask<QuicConnection> accept = listener.AcceptConnectionAsync();
        await using QuicConnection client = await QuicConnection.ConnectAsync(
            TestPeers.Client(listener.LocalEndPoint, _ => clientPath = new FaultyPath(network.CreatePath()))).AsTask().WaitAsync(TestPeers.Bound);
        await using QuicConnection server = await accept.AsTask().WaitAsync(TestPeers.Bound);
        await using QuicStream stream = await client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        ValueTask<int> pendingRead = stream.ReadAsync(new byte[10]);

        clientPath!.FailReceives(new IOException("the network cable was cut"));

        QuicException error = await Assert.ThrowsAsync<QuicException>(() => pendingRead.AsTask().WaitAsync(TestPeers.Bound));
        Assert.Equal(QuicError.InternalError, error.QuicError);
        Assert.Contains("the network cable was cut", error.Message, StringComparison.Ordinal);
        QuicCloseReason reason = await client.Closed.WaitAsync(TestPeers.Bound);
        Assert.Equal(QuicError.InternalError, reason.Error);
    }

    [Fact]
    public async Task Datagrams_TravelBothWays()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();
        Assert.True(pair.Client.MaxDatagramPayloadSize > 1000);

        var buffer = new byte[2000];
        ValueTask<int> receiving = pair.Server.ReceiveDatagramAsync(buffer);
        Assert.True(pair.Client.TrySendDatagram("ping"u8));
        int length = await receiving.AsTask().WaitAsync(TestPeers.Bound);
        Assert.Equal("ping"u8.ToArray(), buffer.AsSpan(0, length).ToArray());

        Assert.True(pair.Server.TrySendDatagram("pong"u8));
        length = await pair.Client.ReceiveDatagramAsync(buffer).AsTask().WaitAsync(TestPeers.Bound);
        Assert.Equal("pong"u8.ToArray(), buffer.AsSpan(0, length).ToArray());
        Assert.False(pair.Client.TrySendDatagram(new byte[pair.Client.MaxDatagramPayloadSize + 1]));
    }

    [Fact]
    public async Task Stats_CountTheTraffic()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();
        await using QuicStream stream = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        await stream.WriteAsync(new byte[50_000], completeWrites: true);
        await using QuicStream server = await pair.Server.AcceptInboundStreamAsync().AsTask().WaitAsync(TestPeers.Bound);
        await Payload.ReadToEndAsync(server).WaitAsync(TestPeers.Bound);

        Quic.Connections.ConnectionStats stats = pair.Client.GetStats();
        Assert.True(stats.BytesSent > 50_000);
        Assert.True(stats.PacketsReceived > 0);
        Assert.NotNull(stats.HandshakeDuration);
    }
}
