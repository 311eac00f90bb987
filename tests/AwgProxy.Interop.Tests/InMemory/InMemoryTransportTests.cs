using AwgProxy.Interop.Transport;
using AwgProxy.Quic.Streams;

namespace AwgProxy.Interop.Tests.InMemory;

/// <summary>The test double must itself behave like QUIC streams, or the other tests prove nothing.</summary>
public class InMemoryTransportTests
{
    [Fact]
    public async Task StreamIds_FollowRfc9000Numbering()
    {
        (InMemoryInteropConnection client, InMemoryInteropConnection server) = InMemoryInteropConnection.CreatePair("x", 1024);
        Assert.Equal(0, (await client.OpenBidirectionalStreamAsync()).Id);
        Assert.Equal(4, (await client.OpenBidirectionalStreamAsync()).Id);
        Assert.Equal(2, (await client.OpenUnidirectionalStreamAsync()).Id);
        Assert.Equal(1, (await server.OpenBidirectionalStreamAsync()).Id);
        InteropStream uni = await server.OpenUnidirectionalStreamAsync();
        Assert.Equal((3L, StreamType.ServerUnidirectional), (uni.Id, uni.Type));
        Assert.Equal(StreamType.ClientBidirectional, (await server.AcceptStreamAsync()).Type);
    }

    [Fact]
    public async Task HalfClose_DeliversDataThenZero_WhileTheOtherDirectionStaysOpen()
    {
        (InMemoryInteropConnection client, InMemoryInteropConnection server) = InMemoryInteropConnection.CreatePair("x", 16);
        InteropStream a = await client.OpenBidirectionalStreamAsync();
        InteropStream b = await server.AcceptStreamAsync();
        Task write = a.WriteAsync(new byte[100]).AsTask(); // larger than the window: must wait for the reader
        await Task.Delay(20);
        Assert.False(write.IsCompleted);

        byte[] buffer = new byte[1000];
        int total = 0;
        async Task ReadToEndAsync()
        {
            int read;
            while ((read = await b.ReadAsync(buffer)) > 0)
            {
                total += read;
                Assert.InRange(read, 1, 16);
            }
        }

        Task reader = ReadToEndAsync();
        await write;
        Assert.False(reader.IsCompleted);
        a.CompleteWrites();
        await reader;
        Assert.Equal(100, total);
        await b.WriteAsync(new byte[5]);
        b.CompleteWrites();
        Assert.Equal(5, await a.ReadAsync(buffer));
        Assert.Equal(0, await a.ReadAsync(buffer));
    }

    [Fact]
    public async Task ResetStream_FailsThePeersReadsWithTheCode()
    {
        (InMemoryInteropConnection client, InMemoryInteropConnection server) = InMemoryInteropConnection.CreatePair("x", 1024);
        InteropStream a = await client.OpenBidirectionalStreamAsync();
        await a.WriteAsync(new byte[10]);
        a.Abort(InteropAbortDirection.Write, 0x42);
        InteropStream b = await server.AcceptStreamAsync();
        InteropStreamAbortedException error = await Assert.ThrowsAsync<InteropStreamAbortedException>(async () => await b.ReadExactlyAsync(new byte[10]));
        Assert.Equal(0x42, error.ErrorCode);
    }

    [Fact]
    public async Task StopSending_FailsThePeersWritesWithTheCode()
    {
        (InMemoryInteropConnection client, InMemoryInteropConnection server) = InMemoryInteropConnection.CreatePair("x", 8);
        InteropStream a = await client.OpenBidirectionalStreamAsync();
        InteropStream b = await server.AcceptStreamAsync();
        Task blocked = a.WriteAsync(new byte[100]).AsTask();
        b.Abort(InteropAbortDirection.Read, 0x43);
        InteropStreamAbortedException error = await Assert.ThrowsAsync<InteropStreamAbortedException>(() => blocked);
        Assert.Equal(0x43, error.ErrorCode);
    }

    [Fact]
    public async Task AbortAfterFin_ChangesNothing()
    {
        (InMemoryInteropConnection client, InMemoryInteropConnection server) = InMemoryInteropConnection.CreatePair("x", 64);
        var a = (InMemoryInteropStream)await client.OpenBidirectionalStreamAsync();
        await a.WriteAsync(new byte[3]);
        a.CompleteWrites();
        a.Abort(InteropAbortDirection.Write, 9);
        Assert.Null(a.LocalWriteAbortCode);
        InteropStream b = await server.AcceptStreamAsync();
        Assert.Equal(3, await b.ReadAsync(new byte[10]));
        Assert.Equal(0, await b.ReadAsync(new byte[10]));
    }

    [Fact]
    public async Task ConnectionClose_FailsPendingOperationsAndAccepts()
    {
        (InMemoryInteropConnection client, InMemoryInteropConnection server) = InMemoryInteropConnection.CreatePair("x", 64);
        InteropStream a = await client.OpenBidirectionalStreamAsync();
        Task<int> pendingRead = a.ReadAsync(new byte[10]).AsTask();
        Task<InteropStream> accept = client.AcceptStreamAsync().AsTask();
        await server.CloseAsync(0x99);
        await Assert.ThrowsAsync<IOException>(() => pendingRead);
        await Assert.ThrowsAsync<IOException>(() => accept);
        Assert.Equal(0x99, client.CloseCode);
        Assert.False(client.ClosedLocally);
        Assert.True(server.ClosedLocally);
        await Assert.ThrowsAsync<IOException>(async () => await client.OpenBidirectionalStreamAsync());
    }

    [Fact]
    public async Task UnidirectionalStreams_AreOneWay()
    {
        (InMemoryInteropConnection client, InMemoryInteropConnection server) = InMemoryInteropConnection.CreatePair("x", 64);
        InteropStream a = await client.OpenUnidirectionalStreamAsync();
        InteropStream b = await server.AcceptStreamAsync();
        Assert.False(a.CanRead);
        Assert.False(b.CanWrite);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await a.ReadExactlyAsync(new byte[1]));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await b.WriteAsync(new byte[1]));
    }
}
