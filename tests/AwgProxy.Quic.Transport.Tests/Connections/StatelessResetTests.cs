using System.Net;
using AwgProxy.Quic.Transport.Paths;
using AwgProxy.Quic.Transport.Tests.Support;

namespace AwgProxy.Quic.Transport.Tests.Connections;

public class StatelessResetTests
{
    [Fact]
    public async Task ServerRestartedWithTheSameStaticKey_ResetsTheClient_WhichReportsIt()
    {
        byte[] staticKey = new byte[32];
        new Random(5).NextBytes(staticKey);
        FaultyPath? firstPath = null;
        QuicListenerOptions first = TestPeers.Listener(pathFactory: endPoint => firstPath = new FaultyPath(UdpDatagramPath.Bind(endPoint)));
        first.StaticKey = staticKey;
        QuicListener listener = await QuicListener.ListenAsync(first);
        var address = (IPEndPoint)listener.LocalEndPoint;
        ValueTask<QuicConnection> accept = listener.AcceptConnectionAsync();
        await using QuicConnection client = await QuicConnection.ConnectAsync(TestPeers.Client(address)).AsTask().WaitAsync(TestPeers.Bound);
        await accept.AsTask().WaitAsync(TestPeers.Bound);

        // The server "crashes": its CONNECTION_CLOSE never leaves, then a new instance takes the port with the same key.
        firstPath!.DropSends = true;
        await listener.DisposeAsync();
        QuicListenerOptions second = TestPeers.Listener(address);
        second.StaticKey = staticKey;
        await using QuicListener restarted = await QuicListener.ListenAsync(second);

        await using QuicStream stream = await client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        await stream.WriteAsync(new byte[100]);
        QuicCloseReason reason = await client.Closed.WaitAsync(TestPeers.Bound);

        Assert.Equal(QuicError.ConnectionAborted, reason.Error);
        Assert.False(reason.IsLocal);
        Assert.Contains("stateless reset", reason.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public async Task ClientEndpoint_AnswersUnknownConnectionIdsOnlyWhenAskedTo(bool sendStatelessReset, int expectedResets)
    {
        var network = new InMemoryDatagramNetwork();
        await using InMemoryDatagramPath prober = network.CreatePath();
        int toProber = 0;
        network.Filter = (_, to, _) =>
        {
            if (to.Equals(prober.LocalEndPoint)) Interlocked.Increment(ref toProber);
            return true;
        };
        await using ConnectedPair pair = await ConnectedPair.InMemoryAsync(network, configureClient: o => o.SendStatelessReset = sendStatelessReset);

        // A short header packet for a connection ID the client never issued.
        var batch = new DatagramBatch(1, 1500, System.Net.Sockets.AddressFamily.InterNetwork);
        byte[] garbage = new byte[100];
        new Random(9).NextBytes(garbage);
        garbage[0] = 0x41;
        garbage.CopyTo(batch.GetArray(0), 0);
        batch.SetPayload(0, 0, garbage.Length);
        batch.SetAddress(0, ((IPEndPoint)pair.Client.LocalEndPoint).Serialize());
        await prober.SendBatchAsync(batch, 1, CancellationToken.None);

        // A round trip through the client after it: the client's receive loop has handled the probe by then (in order).
        await using QuicStream stream = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        Task echo = Task.Run(async () =>
        {
            await using QuicStream server = await pair.Server.AcceptInboundStreamAsync();
            await Payload.EchoAsync(server);
        });
        await Payload.WriteAllAsync(stream, new byte[1000]);
        await Payload.ReadToEndAsync(stream).WaitAsync(TestPeers.Bound);
        await echo.WaitAsync(TestPeers.Bound);

        Assert.Equal(expectedResets, Volatile.Read(ref toProber));
    }
}
