using System.Text;
using AwgProxy.Interop.Protocols;
using AwgProxy.Interop.Tests.InMemory;
using AwgProxy.Interop.Transport;
using AwgProxy.Quic.Streams;

namespace AwgProxy.Interop.Tests.Protocols;

/// <summary>The server's per-stream behaviour, driven byte by byte over an in-memory connection.</summary>
public sealed class InteropTestServerTests : IAsyncDisposable
{
    private readonly InMemoryInteropConnection _client;
    private readonly InMemoryInteropConnection _server;
    private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(30));
    private readonly Task _serving;

    public InteropTestServerTests()
    {
        (_client, _server) = InMemoryInteropConnection.CreatePair("interop-test", 64 * 1024);
        _serving = new InteropTestServer().ServeConnectionAsync(_server, _cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _client.CloseAsync(0);
        await _serving.WaitAsync(TimeSpan.FromSeconds(10));
        _cts.Dispose();
    }

    private static async Task<byte[]> ReadAllAsync(InteropStream stream)
    {
        var output = new MemoryStream();
        byte[] buffer = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }

    private InMemoryInteropStream ServerSideOf(InteropStream clientStream) =>
        _server.Streams.Single(s => s.Id == clientStream.Id);

    [Theory]
    [InlineData("BOGUS\n")]
    [InlineData("GET -1\n")]
    [InlineData("PUT extra\n")]
    public async Task BadRequest_BothSidesSeeCode0x101(string line)
    {
        InteropStream stream = await _client.OpenBidirectionalStreamAsync();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(line));

        InteropStreamAbortedException reset = await Assert.ThrowsAsync<InteropStreamAbortedException>(async () => await ReadAllAsync(stream));
        Assert.Equal(0x101, reset.ErrorCode);
        InteropStreamAbortedException stop = await Assert.ThrowsAsync<InteropStreamAbortedException>(async () => await stream.WriteAsync(new byte[10]));
        Assert.Equal(0x101, stop.ErrorCode);

        InMemoryInteropStream serverSide = ServerSideOf(stream);
        Assert.Equal(0x101, serverSide.LocalWriteAbortCode);
        Assert.Equal(0x101, serverSide.LocalReadAbortCode);
    }

    [Fact]
    public async Task FinBeforeNewline_IsRejectedWith0x101()
    {
        InteropStream stream = await _client.OpenBidirectionalStreamAsync();
        await stream.WriteAsync("GET 5"u8.ToArray());
        stream.CompleteWrites();
        InteropStreamAbortedException reset = await Assert.ThrowsAsync<InteropStreamAbortedException>(async () => await ReadAllAsync(stream));
        Assert.Equal(0x101, reset.ErrorCode);
    }

    [Fact]
    public async Task OverlongRequestLine_IsRejectedWith0x101()
    {
        InteropStream stream = await _client.OpenBidirectionalStreamAsync();
        byte[] junk = new byte[InteropTestRequest.MaxLineLength + 100];
        junk.AsSpan().Fill((byte)'x');
        await stream.WriteAsync(junk);
        InteropStreamAbortedException reset = await Assert.ThrowsAsync<InteropStreamAbortedException>(async () => await ReadAllAsync(stream));
        Assert.Equal(0x101, reset.ErrorCode);
    }

    [Fact]
    public async Task HqInteropStyleGet_ServesThePattern()
    {
        InteropStream stream = await _client.OpenBidirectionalStreamAsync();
        await stream.WriteAsync("GET /70000\r\n"u8.ToArray());
        stream.CompleteWrites();
        Assert.Equal(Support.PatternReference.Bytes(70_000), await ReadAllAsync(stream));
    }

    [Fact]
    public async Task Get_StopsReadingWithCodeZeroLikeQuicgoPeer()
    {
        InteropStream stream = await _client.OpenBidirectionalStreamAsync();
        await stream.WriteAsync("GET 3\n"u8.ToArray());
        Assert.Equal(Support.PatternReference.Bytes(3), await ReadAllAsync(stream));
        Assert.Equal(0, ServerSideOf(stream).LocalReadAbortCode);
    }

    [Fact]
    public async Task RequestLineSplitIntoOneByteWrites_IsStillUnderstood()
    {
        InteropStream stream = await _client.OpenBidirectionalStreamAsync();
        foreach (byte b in "ECHO\r\nhello"u8.ToArray())
        {
            await stream.WriteAsync(new[] { b });
            await Task.Yield();
        }

        stream.CompleteWrites();
        Assert.Equal("hello"u8.ToArray(), await ReadAllAsync(stream));
    }

    [Fact]
    public async Task PayloadInTheSameWriteAsTheLine_IsCounted()
    {
        InteropStream stream = await _client.OpenBidirectionalStreamAsync();
        await stream.WriteAsync("DISCARD\n12345"u8.ToArray());
        await stream.WriteAsync(new byte[100_000]);
        stream.CompleteWrites();
        Assert.Equal("OK 100005\n", Encoding.ASCII.GetString(await ReadAllAsync(stream)));
    }

    [Fact]
    public async Task EmptyPut_AnswersOkZero()
    {
        InteropStream stream = await _client.OpenBidirectionalStreamAsync();
        await stream.WriteAsync("PUT\n"u8.ToArray());
        stream.CompleteWrites();
        Assert.Equal("OK 0\n", Encoding.ASCII.GetString(await ReadAllAsync(stream)));
    }

    [Fact]
    public async Task Echo_SendsFinOnlyAfterTheClientsFin()
    {
        InteropStream stream = await _client.OpenBidirectionalStreamAsync();
        await stream.WriteAsync("ECHO\nabc"u8.ToArray());
        byte[] buffer = new byte[16];
        int read = await stream.ReadAsync(buffer);
        Assert.Equal("abc", Encoding.ASCII.GetString(buffer, 0, read));

        Task<int> pending = stream.ReadAsync(buffer).AsTask();
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);
        stream.CompleteWrites();
        Assert.Equal(0, await pending.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ParallelStreams_AreServedIndependently()
    {
        var streams = new List<InteropStream>();
        for (int i = 0; i < 8; i++)
        {
            InteropStream stream = await _client.OpenBidirectionalStreamAsync();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {i * 1000}\n"));
            stream.CompleteWrites();
            streams.Add(stream);
        }

        byte[][] bodies = await Task.WhenAll(streams.Select(ReadAllAsync));
        for (int i = 0; i < bodies.Length; i++)
        {
            Assert.Equal(Support.PatternReference.Bytes(i * 1000), bodies[i]);
        }
    }

    [Fact]
    public async Task ClientUnidirectionalStreams_AreReadAndDiscarded()
    {
        InteropStream uni = await _client.OpenUnidirectionalStreamAsync();
        Assert.Equal(StreamType.ClientUnidirectional, uni.Type);
        await uni.WriteAsync(new byte[200_000]);
        uni.CompleteWrites();

        InteropStream stream = await _client.OpenBidirectionalStreamAsync();
        await stream.WriteAsync("GET 1\n"u8.ToArray());
        Assert.Single(await ReadAllAsync(stream));
        Assert.Null(ServerSideOf(uni).LocalReadAbortCode);
    }

    [Fact]
    public async Task ClientResetDuringPut_DoesNotDisturbOtherStreams()
    {
        InteropStream put = await _client.OpenBidirectionalStreamAsync();
        await put.WriteAsync("PUT\nabc"u8.ToArray());
        put.Abort(InteropAbortDirection.Write, 0x55);

        InteropStream get = await _client.OpenBidirectionalStreamAsync();
        await get.WriteAsync("GET 2\n"u8.ToArray());
        Assert.Equal(2, (await ReadAllAsync(get)).Length);
    }
}
