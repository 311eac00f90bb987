using AwgProxy.Quic.Transport.Tests.Support;

namespace AwgProxy.Quic.Transport.Tests.Streams;

public class StreamSemanticsTests
{
    [Fact]
    public async Task CompleteWrites_PeerReadReturnsZero_AndReadsClosedCompletes()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();
        await using QuicStream client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        await client.WriteAsync("hello"u8.ToArray());
        client.CompleteWrites();

        await using QuicStream server = await pair.Server.AcceptInboundStreamAsync().AsTask().WaitAsync(TestPeers.Bound);
        Assert.Equal("hello"u8.ToArray(), await Payload.ReadToEndAsync(server).WaitAsync(TestPeers.Bound));
        Assert.Equal(0, await server.ReadAsync(new byte[10]));
        await server.ReadsClosed.WaitAsync(TestPeers.Bound);
        await client.WritesClosed.WaitAsync(TestPeers.Bound);
    }

    [Fact]
    public async Task StreamDisposedBeforeItsFinIsAcknowledged_WritesClosedStillCompletes()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();
        QuicStream client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Unidirectional);
        byte[] data = Payload.Create(300_000);
        await client.WriteAsync(data, completeWrites: true);
        await client.DisposeAsync();

        await using QuicStream server = await pair.Server.AcceptInboundStreamAsync().AsTask().WaitAsync(TestPeers.Bound);
        Assert.Equal(data, await Payload.ReadToEndAsync(server).WaitAsync(TestPeers.Bound));
        await client.WritesClosed.WaitAsync(TestPeers.Bound);
        Assert.Equal(0, pair.Client.TrackedStreamCount);
    }

    [Fact]
    public async Task WriteWithCompleteWrites_SendsFinWithTheData()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();
        await using QuicStream client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        await client.WriteAsync("done"u8.ToArray(), completeWrites: true);

        await using QuicStream server = await pair.Server.AcceptInboundStreamAsync().AsTask().WaitAsync(TestPeers.Bound);
        Assert.Equal("done"u8.ToArray(), await Payload.ReadToEndAsync(server).WaitAsync(TestPeers.Bound));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await client.WriteAsync(new byte[1]));
    }

    [Fact]
    public async Task AbortWrite_PeerReadThrowsStreamAbortedWithTheCode()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();
        await using QuicStream client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        await client.WriteAsync(new byte[10]);
        await using QuicStream server = await pair.Server.AcceptInboundStreamAsync().AsTask().WaitAsync(TestPeers.Bound);

        client.Abort(QuicAbortDirection.Write, 0x1234);

        QuicException error = await Assert.ThrowsAsync<QuicException>(async () =>
        {
            var buffer = new byte[100];
            while (await server.ReadAsync(buffer).AsTask().WaitAsync(TestPeers.Bound) > 0)
            {
            }
        });
        Assert.Equal(QuicError.StreamAborted, error.QuicError);
        Assert.Equal(0x1234, error.ApplicationErrorCode);
        QuicException closed = await Assert.ThrowsAsync<QuicException>(() => server.ReadsClosed.WaitAsync(TestPeers.Bound));
        Assert.Equal(0x1234, closed.ApplicationErrorCode);
        QuicException local = await Assert.ThrowsAsync<QuicException>(async () => await client.WriteAsync(new byte[1]));
        Assert.Equal(QuicError.OperationAborted, local.QuicError);
    }

    [Fact]
    public async Task AbortRead_PeerWriteThrowsStreamAbortedWithTheCode()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();
        await using QuicStream client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        await client.WriteAsync(new byte[10]);
        await using QuicStream server = await pair.Server.AcceptInboundStreamAsync().AsTask().WaitAsync(TestPeers.Bound);

        server.Abort(QuicAbortDirection.Read, 77);

        QuicException error = await Assert.ThrowsAsync<QuicException>(async () =>
        {
            var chunk = new byte[16 * 1024];
            for (int i = 0; i < 100_000; i++)
            {
                await client.WriteAsync(chunk).AsTask().WaitAsync(TestPeers.Bound);
            }
        });
        Assert.Equal(QuicError.StreamAborted, error.QuicError);
        Assert.Equal(77, error.ApplicationErrorCode);
        QuicException closed = await Assert.ThrowsAsync<QuicException>(() => client.WritesClosed.WaitAsync(TestPeers.Bound));
        Assert.Equal(77, closed.ApplicationErrorCode);
        QuicException local = await Assert.ThrowsAsync<QuicException>(() => server.ReadAsync(new byte[1]).AsTask());
        Assert.Equal(QuicError.OperationAborted, local.QuicError);
    }

    [Fact]
    public async Task PendingRead_Cancelled_ThrowsAndStreamStaysReadable()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();
        await using QuicStream client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        await client.WriteAsync(new byte[] { 1 });
        await using QuicStream server = await pair.Server.AcceptInboundStreamAsync().AsTask().WaitAsync(TestPeers.Bound);
        Assert.Equal(1, await server.ReadAsync(new byte[10]));

        using var cancellation = new CancellationTokenSource();
        ValueTask<int> pending = server.ReadAsync(new byte[10], cancellation.Token);
        Assert.False(pending.IsCompleted);
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);

        await client.WriteAsync(new byte[] { 2, 3 }, completeWrites: true);
        Assert.Equal(new byte[] { 2, 3 }, await Payload.ReadToEndAsync(server).WaitAsync(TestPeers.Bound));
    }

    [Fact]
    public async Task PendingWrite_Cancelled_ThrowsAndAbortsWritesWithTheDefaultCode()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync(
            configureServer: o => o.InitialReceiveWindowSizes = new QuicReceiveWindowSizes { RemotelyInitiatedBidirectionalStream = 1000, MaxStream = 1000 },
            configureClient: o =>
            {
                o.StreamSendBufferSize = 4096;
                o.DefaultStreamErrorCode = 0x55;
            });
        await using QuicStream client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);

        // The server never reads: the window fills, the send buffer fills, the write waits.
        using var cancellation = new CancellationTokenSource();
        ValueTask pending = client.WriteAsync(new byte[100_000], cancellation.Token);
        Assert.False(pending.IsCompleted);
        await using QuicStream server = await pair.Server.AcceptInboundStreamAsync().AsTask().WaitAsync(TestPeers.Bound);
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);

        QuicException local = await Assert.ThrowsAsync<QuicException>(async () => await client.WriteAsync(new byte[1]));
        Assert.Equal(QuicError.OperationAborted, local.QuicError);
        QuicException peer = await Assert.ThrowsAsync<QuicException>(async () =>
        {
            var buffer = new byte[4096];
            while (await server.ReadAsync(buffer).AsTask().WaitAsync(TestPeers.Bound) > 0)
            {
            }
        });
        Assert.Equal(0x55, peer.ApplicationErrorCode);
    }

    [Fact]
    public async Task StreamLimit_OpenWaits_ThenProceedsWhenAPeerStreamCloses()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync(configureServer: o => o.MaxInboundBidirectionalStreams = 2);
        QuicStream first = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        QuicStream second = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        await first.WriteAsync(new byte[] { 1 }, completeWrites: true);
        await second.WriteAsync(new byte[] { 2 }, completeWrites: true);

        ValueTask<QuicStream> third = pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        await Task.Delay(200);
        Assert.False(third.IsCompleted);

        // Closing one stream completely on both sides frees a slot: the server grants MAX_STREAMS.
        await using QuicStream serverFirst = await pair.Server.AcceptInboundStreamAsync().AsTask().WaitAsync(TestPeers.Bound);
        Assert.Equal(new byte[] { 1 }, await Payload.ReadToEndAsync(serverFirst).WaitAsync(TestPeers.Bound));
        serverFirst.CompleteWrites();
        Assert.Empty(await Payload.ReadToEndAsync(first).WaitAsync(TestPeers.Bound));

        QuicStream opened = await third.AsTask().WaitAsync(TestPeers.Bound);
        Assert.Equal(8, opened.Id);
        await first.DisposeAsync();
        await second.DisposeAsync();
        await opened.DisposeAsync();
    }

    [Fact]
    public async Task DisposeAsync_CompletesWrites_AndAbortsUnfinishedReadsWithTheDefaultCode()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync(configureServer: o => o.DefaultStreamErrorCode = 0x99);
        QuicStream client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        await client.WriteAsync("request"u8.ToArray());
        QuicStream server = await pair.Server.AcceptInboundStreamAsync().AsTask().WaitAsync(TestPeers.Bound);
        await server.WriteAsync("partial"u8.ToArray());

        await server.DisposeAsync();

        // The server's FIN reaches the client after the data; the client's further writes meet STOP_SENDING 0x99.
        Assert.Equal("partial"u8.ToArray(), await Payload.ReadToEndAsync(client).WaitAsync(TestPeers.Bound));
        QuicException error = await Assert.ThrowsAsync<QuicException>(async () =>
        {
            for (int i = 0; i < 100_000; i++)
            {
                await client.WriteAsync(new byte[1024]).AsTask().WaitAsync(TestPeers.Bound);
            }
        });
        Assert.Equal(QuicError.StreamAborted, error.QuicError);
        Assert.Equal(0x99, error.ApplicationErrorCode);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => server.ReadAsync(new byte[1]).AsTask());
        await client.DisposeAsync();
    }

    [Fact]
    public async Task ZeroByteRead_CompletesWhenDataArrives()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();
        await using QuicStream client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        await client.WriteAsync(new byte[] { 9 });
        await using QuicStream server = await pair.Server.AcceptInboundStreamAsync().AsTask().WaitAsync(TestPeers.Bound);
        Assert.Equal(1, await server.ReadAsync(new byte[1]));

        ValueTask<int> waiting = server.ReadAsync(Memory<byte>.Empty);
        Assert.False(waiting.IsCompleted);
        await client.WriteAsync(new byte[] { 10 });
        Assert.Equal(0, await waiting.AsTask().WaitAsync(TestPeers.Bound));
        var one = new byte[1];
        Assert.Equal(1, await server.ReadAsync(one));
        Assert.Equal(10, one[0]);
    }

    [Fact]
    public async Task ConcurrentReads_AreRefused()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();
        await using QuicStream client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        await client.WriteAsync(new byte[] { 1 });
        await using QuicStream server = await pair.Server.AcceptInboundStreamAsync().AsTask().WaitAsync(TestPeers.Bound);
        Assert.Equal(1, await server.ReadAsync(new byte[1]));

        ValueTask<int> first = server.ReadAsync(new byte[1]);
        Assert.Throws<InvalidOperationException>(() => server.ReadAsync(new byte[1]));
        client.CompleteWrites();
        Assert.Equal(0, await first.AsTask().WaitAsync(TestPeers.Bound));
    }
}
