using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using AwgProxy.Tunnel.Client;
using AwgProxy.Tunnel.Protocol;
using AwgProxy.Tunnel.Relay;
using AwgProxy.Tunnel.Tests.Doubles;

namespace AwgProxy.Tunnel.Tests.EndToEnd;

/// <summary>
/// TunnelClient → in-memory connection → TunnelServer → real TCP upstream on loopback.
/// The test plays the SOCKS5 front end: it holds the client's tunnel stream directly.
/// </summary>
public class TunnelEndToEndTests
{
    [Fact]
    public async Task SeveralMebibytes_CrossBothWaysIntact()
    {
        await using var upstream = TcpTestServer.Start();
        await using var harness = TunnelHarness.Create();
        byte[] up = StreamIo.RandomBytes(4 * 1024 * 1024 + 17, 11);
        byte[] down = StreamIo.RandomBytes(3 * 1024 * 1024 + 5, 12);

        TunnelOpenResult open = await harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None).Bounded();
        Assert.Equal(TunnelStatus.Succeeded, open.Status);
        await using ITunnelStream stream = open.Stream!;
        using Socket socket = await upstream.AcceptAsync();

        Task clientSends = Task.Run(async () => { await stream.WriteAsync(up); stream.CompleteWrites(); });
        Task upstreamSends = Task.Run(async () => { await StreamIo.SendAllAsync(socket, down); socket.Shutdown(SocketShutdown.Send); });
        Task<byte[]> upstreamReceives = StreamIo.ReceiveToEndAsync(socket);
        Task<byte[]> clientReceives = StreamIo.ReadToEndAsync(stream);
        await Task.WhenAll(clientSends, upstreamSends).Bounded();

        Assert.Equal(SHA256.HashData(up), SHA256.HashData(await upstreamReceives.Bounded()));
        Assert.Equal(SHA256.HashData(down), SHA256.HashData(await clientReceives.Bounded()));
        await harness.WaitForServerIdleAsync();
    }

    [Fact]
    public async Task HundredParallelStreams_EachEchoesItsOwnData()
    {
        const int Streams = 100;
        await using var upstream = TcpTestServer.Start();
        await using var harness = TunnelHarness.Create();
        Task echo = Task.Run(async () =>
        {
            var echoes = new List<Task>();
            for (int i = 0; i < Streams; i++)
            {
                Socket socket = await upstream.AcceptAsync();
                echoes.Add(Task.Run(async () =>
                {
                    byte[] received = await StreamIo.ReceiveToEndAsync(socket);
                    await StreamIo.SendAllAsync(socket, received);
                    socket.Shutdown(SocketShutdown.Send);
                }));
            }

            await Task.WhenAll(echoes);
        });

        Task[] sessions = [.. Enumerable.Range(0, Streams).Select(i => Task.Run(async () =>
        {
            byte[] data = StreamIo.RandomBytes(32 * 1024 + i, 100 + i);
            TunnelOpenResult open = await harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None);
            Assert.Equal(TunnelStatus.Succeeded, open.Status);
            await using ITunnelStream stream = open.Stream!;
            Task<byte[]> reply = StreamIo.ReadToEndAsync(stream);
            await stream.WriteAsync(data);
            stream.CompleteWrites();
            Assert.Equal(data, await reply);
        }))];

        await Task.WhenAll(sessions).Bounded();
        await echo.Bounded();
        await harness.WaitForServerIdleAsync();
        Assert.Single(harness.Factory.ClientEnds); // all on one connection
    }

    [Fact]
    public async Task ClientHalfClose_ReachesUpstreamAsFin_AndUpstreamCanStillAnswer()
    {
        await using var upstream = TcpTestServer.Start();
        await using var harness = TunnelHarness.Create();
        TunnelOpenResult open = await harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None).Bounded();
        await using ITunnelStream stream = open.Stream!;
        using Socket socket = await upstream.AcceptAsync();

        await stream.WriteAsync("request"u8.ToArray());
        stream.CompleteWrites();
        Assert.Equal("request"u8.ToArray(), await StreamIo.ReceiveToEndAsync(socket).Bounded());

        await StreamIo.SendAllAsync(socket, "response"u8.ToArray());
        socket.Shutdown(SocketShutdown.Send);
        Assert.Equal("response"u8.ToArray(), await StreamIo.ReadToEndAsync(stream).Bounded());
        await harness.WaitForServerIdleAsync();
    }

    [Fact]
    public async Task UpstreamHalfClose_ReachesTheClientAsFin_AndTheClientCanStillSend()
    {
        await using var upstream = TcpTestServer.Start();
        await using var harness = TunnelHarness.Create();
        TunnelOpenResult open = await harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None).Bounded();
        await using ITunnelStream stream = open.Stream!;
        using Socket socket = await upstream.AcceptAsync();

        await StreamIo.SendAllAsync(socket, "banner"u8.ToArray());
        socket.Shutdown(SocketShutdown.Send);
        Assert.Equal("banner"u8.ToArray(), await StreamIo.ReadToEndAsync(stream).Bounded());

        await stream.WriteAsync("late words"u8.ToArray());
        stream.CompleteWrites();
        Assert.Equal("late words"u8.ToArray(), await StreamIo.ReceiveToEndAsync(socket).Bounded());
        await harness.WaitForServerIdleAsync();
    }

    [Fact]
    public async Task ClientAbort_ResetsTheUpstreamConnection()
    {
        await using var upstream = TcpTestServer.Start();
        await using var harness = TunnelHarness.Create();
        TunnelOpenResult open = await harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None).Bounded();
        await using ITunnelStream stream = open.Stream!;
        using Socket socket = await upstream.AcceptAsync();

        stream.Abort(TunnelAbortDirection.Both, TunnelErrorCode.ClientAborted);

        var error = await Assert.ThrowsAsync<SocketException>(() => StreamIo.ReceiveToEndAsync(socket).Bounded());
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        await harness.WaitForServerIdleAsync();
    }

    [Fact]
    public async Task UpstreamReset_AbortsTheClientStreamWithUpstreamReset()
    {
        await using var upstream = TcpTestServer.Start();
        await using var harness = TunnelHarness.Create();
        TunnelOpenResult open = await harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None).Bounded();
        await using ITunnelStream stream = open.Stream!;
        Socket socket = await upstream.AcceptAsync();

        StreamIo.Reset(socket);

        var read = await Assert.ThrowsAsync<TunnelStreamAbortedException>(() => StreamIo.ReadToEndAsync(stream).Bounded());
        Assert.Equal(TunnelErrorCode.UpstreamReset, read.ErrorCode);
        var write = await Assert.ThrowsAsync<TunnelStreamAbortedException>(() => stream.WriteAsync(new byte[1]).Bounded());
        Assert.Equal(TunnelErrorCode.UpstreamReset, write.ErrorCode);
        await harness.WaitForServerIdleAsync();
    }

    [Fact]
    public async Task LoopbackDestination_WithTheDefaultPolicy_IsNotAllowedByRuleset()
    {
        await using var upstream = TcpTestServer.Start();
        await using var harness = TunnelHarness.Create(o => o.Egress.AllowLoopback = false);

        TunnelOpenResult open = await harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None).Bounded();

        Assert.Equal(TunnelStatus.NotAllowedByRuleset, open.Status);
        Assert.Null(open.Stream);
    }

    [Fact]
    public async Task NameResolvingToAPrivateAddress_IsNotAllowedByRuleset()
    {
        await using var harness = TunnelHarness.Create(
            o => o.Egress.AllowLoopback = false,
            resolver: (_, _) => Task.FromResult(new[] { IPAddress.Parse("192.168.1.10") }));

        TunnelOpenResult open = await harness.Client.OpenAsync(TunnelDestination.FromHost("intranet.example", 80), CancellationToken.None).Bounded();

        Assert.Equal(TunnelStatus.NotAllowedByRuleset, open.Status);
    }

    [Fact]
    public async Task ClosedPort_IsConnectionRefused()
    {
        await using var harness = TunnelHarness.Create();

        TunnelOpenResult open = await harness.Client.OpenAsync(TunnelDestination.FromAddress(IPAddress.Loopback, TcpTestServer.GetClosedPort()), CancellationToken.None).Bounded();

        Assert.Equal(TunnelStatus.ConnectionRefused, open.Status);
        Assert.Null(open.Stream);
    }

    [Fact]
    public async Task UnknownName_IsHostUnreachable()
    {
        await using var harness = TunnelHarness.Create(
            resolver: (_, _) => Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound)));

        TunnelOpenResult open = await harness.Client.OpenAsync(TunnelDestination.FromHost("nothing.invalid", 80), CancellationToken.None).Bounded();

        Assert.Equal(TunnelStatus.HostUnreachable, open.Status);
    }

    [Fact]
    public async Task StreamsOverTheClientLimit_AreNotAllowedByRuleset_AndFreedSlotsAreReused()
    {
        await using var upstream = TcpTestServer.Start();
        await using var harness = TunnelHarness.Create(o => o.MaxStreamsPerClient = 2);
        TunnelOpenResult first = await harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None).Bounded();
        TunnelOpenResult second = await harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None).Bounded();
        Assert.Equal(TunnelStatus.Succeeded, first.Status);
        Assert.Equal(TunnelStatus.Succeeded, second.Status);
        Assert.Equal(2, harness.Server.GetActiveStreams("alice"));

        TunnelOpenResult third = await harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None).Bounded();

        Assert.Equal(TunnelStatus.NotAllowedByRuleset, third.Status);
        Assert.Equal(2, harness.Server.GetActiveStreams("alice"));

        // Free one slot: end the first session gracefully in both directions.
        using Socket firstUpstream = await upstream.AcceptAsync();
        firstUpstream.Shutdown(SocketShutdown.Send);
        first.Stream!.CompleteWrites();
        Assert.Empty(await StreamIo.ReadToEndAsync(first.Stream).Bounded());
        await first.Stream.DisposeAsync();
        using (var cts = new CancellationTokenSource(TestTimeouts.Default))
        {
            while (harness.Server.GetActiveStreams("alice") != 1)
            {
                await Task.Delay(5, cts.Token);
            }
        }

        TunnelOpenResult fourth = await harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None).Bounded();
        Assert.Equal(TunnelStatus.Succeeded, fourth.Status);
        await second.Stream!.DisposeAsync();
        await fourth.Stream!.DisposeAsync();
    }

    [Fact]
    public async Task StreamLimit_IsPerClientIdentity()
    {
        await using var upstream = TcpTestServer.Start();
        await using var harness = TunnelHarness.Create(o => o.MaxStreamsPerClient = 1);
        TunnelOpenResult alice = await harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None).Bounded();
        Assert.Equal(TunnelStatus.Succeeded, alice.Status);

        // Bob has his own connection and his own budget.
        var (bobClient, bobServer) = InMemoryTunnelConnection.CreatePair("bob");
        Task serving = harness.Server.HandleConnectionAsync(bobServer, CancellationToken.None);
        TunnelStatus bobStatus = await RawOpenAsync(bobClient, new OpenStreamRequest(TunnelCommand.Connect, TunnelHarness.To(upstream)));

        Assert.Equal(TunnelStatus.Succeeded, bobStatus);
        await bobClient.CloseAsync(0);
        await serving.Bounded();
        await alice.Stream!.DisposeAsync();
    }

    [Fact]
    public async Task SilentStream_IsResetWithRequestTimeout()
    {
        await using var harness = TunnelHarness.Create(o => o.RequestTimeout = TimeSpan.FromMilliseconds(200));
        ITunnelConnection connection = await harness.Factory.ConnectAsync(CancellationToken.None);
        ITunnelStream stream = await connection.OpenStreamAsync();

        var error = await Assert.ThrowsAsync<TunnelStreamAbortedException>(() => StreamIo.ReadToEndAsync(stream).Bounded());

        Assert.Equal(TunnelErrorCode.RequestTimeout, error.ErrorCode);
        await harness.WaitForServerIdleAsync();
    }

    [Fact]
    public async Task MalformedRequest_IsResetWithProtocolError()
    {
        await using var harness = TunnelHarness.Create();
        ITunnelConnection connection = await harness.Factory.ConnectAsync(CancellationToken.None);
        ITunnelStream stream = await connection.OpenStreamAsync();

        await stream.WriteAsync(new byte[] { 0x05, 0x01, 0x00, 0x01, 127, 0, 0, 1, 0, 80 }); // a SOCKS5 request, VER 5

        var error = await Assert.ThrowsAsync<TunnelStreamAbortedException>(() => StreamIo.ReadToEndAsync(stream).Bounded());
        Assert.Equal(TunnelErrorCode.ProtocolError, error.ErrorCode);
    }

    [Fact]
    public async Task FinBeforeAWholeRequest_IsResetWithProtocolError()
    {
        await using var harness = TunnelHarness.Create();
        ITunnelConnection connection = await harness.Factory.ConnectAsync(CancellationToken.None);
        ITunnelStream stream = await connection.OpenStreamAsync();

        await stream.WriteAsync(new byte[] { 0x01, 0x01, 0x01, 127 });
        stream.CompleteWrites();

        var error = await Assert.ThrowsAsync<TunnelStreamAbortedException>(() => StreamIo.ReadToEndAsync(stream).Bounded());
        Assert.Equal(TunnelErrorCode.ProtocolError, error.ErrorCode);
    }

    [Theory]
    [InlineData(TunnelCommand.UdpAssociate)]
    [InlineData(TunnelCommand.Bind)]
    [InlineData((TunnelCommand)0x42)]
    public async Task OtherCommands_AreAnsweredCommandNotSupported(TunnelCommand command)
    {
        await using var upstream = TcpTestServer.Start();
        await using var harness = TunnelHarness.Create();
        ITunnelConnection connection = await harness.Factory.ConnectAsync(CancellationToken.None);

        TunnelStatus status = await RawOpenAsync(connection, new OpenStreamRequest(command, TunnelHarness.To(upstream)));

        Assert.Equal(TunnelStatus.CommandNotSupported, status);
    }

    [Fact]
    public async Task PayloadRightBehindTheRequest_ReachesUpstreamFirst()
    {
        await using var upstream = TcpTestServer.Start();
        await using var harness = TunnelHarness.Create();
        ITunnelConnection connection = await harness.Factory.ConnectAsync(CancellationToken.None);
        ITunnelStream stream = await connection.OpenStreamAsync();
        var request = new OpenStreamRequest(TunnelCommand.Connect, TunnelHarness.To(upstream));
        byte[] first = new byte[request.Length + 5];
        request.Encode(first);
        "early"u8.CopyTo(first.AsSpan(request.Length));

        await stream.WriteAsync(first);
        await stream.WriteAsync("+more"u8.ToArray());
        stream.CompleteWrites();

        Assert.Equal(new byte[] { 0x01, 0x00 }, await StreamIo.ReadExactlyAsync(stream, 2).Bounded());
        using Socket socket = await upstream.AcceptAsync();
        Assert.Equal("early+more"u8.ToArray(), await StreamIo.ReceiveToEndAsync(socket).Bounded());
    }

    [Fact]
    public async Task QuietSession_IsResetWithIdleTimeout()
    {
        await using var upstream = TcpTestServer.Start();
        await using var harness = TunnelHarness.Create(o => o.IdleTimeout = TimeSpan.FromMilliseconds(300));
        TunnelOpenResult open = await harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None).Bounded();
        await using ITunnelStream stream = open.Stream!;
        using Socket socket = await upstream.AcceptAsync();

        var error = await Assert.ThrowsAsync<TunnelStreamAbortedException>(() => StreamIo.ReadToEndAsync(stream).Bounded());

        Assert.Equal(TunnelErrorCode.IdleTimeout, error.ErrorCode);
        var reset = await Assert.ThrowsAsync<SocketException>(() => StreamIo.ReceiveToEndAsync(socket).Bounded());
        Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);
    }

    [Fact]
    public async Task ServerShutdown_EndsSessionsWithServerShuttingDown()
    {
        await using var upstream = TcpTestServer.Start();
        await using var harness = TunnelHarness.Create();
        TunnelOpenResult open = await harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None).Bounded();
        await using ITunnelStream stream = open.Stream!;
        using Socket socket = await upstream.AcceptAsync();

        await harness.Factory.ServerStop.CancelAsync();

        IOException error = await Assert.ThrowsAnyAsync<IOException>(() => StreamIo.ReadToEndAsync(stream).Bounded());
        long? code = error switch
        {
            TunnelStreamAbortedException aborted => aborted.ErrorCode,
            TunnelConnectionClosedException closed => closed.ErrorCode,
            _ => null,
        };
        Assert.Equal(TunnelErrorCode.ServerShuttingDown, code);
        await Task.WhenAll(harness.Factory.ServerTasks).Bounded();
    }

    [Fact]
    public async Task ClientRelay_CarriesAnApplicationConnectionThroughTheTunnel()
    {
        await using var upstream = TcpTestServer.Start();
        await using var harness = TunnelHarness.Create();
        TunnelOpenResult open = await harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None).Bounded();
        await using ITunnelStream stream = open.Stream!;
        var (relayEnd, application) = InMemoryTunnelStream.CreatePair();
        Task<RelayResult> relay = harness.Client.RelayAsync(stream, relayEnd, CancellationToken.None);
        using Socket socket = await upstream.AcceptAsync();

        await application.WriteAsync("ping"u8.ToArray());
        application.CompleteWrites();
        Assert.Equal("ping"u8.ToArray(), await StreamIo.ReceiveToEndAsync(socket).Bounded());
        await StreamIo.SendAllAsync(socket, "pong"u8.ToArray());
        socket.Shutdown(SocketShutdown.Send);
        Assert.Equal("pong"u8.ToArray(), await StreamIo.ReadToEndAsync(application).Bounded());

        RelayResult result = await relay.Bounded();
        Assert.Equal(RelayOutcome.Completed, result.Outcome);
        Assert.Equal(4, result.TcpToTunnelBytes);
        Assert.Equal(4, result.TunnelToTcpBytes);
    }

    [Fact]
    public async Task ApplicationReset_OnTheClient_AbortsTheTunnelStreamWithClientAborted()
    {
        await using var upstream = TcpTestServer.Start();
        await using var harness = TunnelHarness.Create();
        TunnelOpenResult open = await harness.Client.OpenAsync(TunnelHarness.To(upstream), CancellationToken.None).Bounded();
        await using ITunnelStream stream = open.Stream!;
        var (relayEnd, application) = InMemoryTunnelStream.CreatePair();
        Task<RelayResult> relay = harness.Client.RelayAsync(stream, relayEnd, CancellationToken.None);
        using Socket socket = await upstream.AcceptAsync();

        application.Abort(TunnelAbortDirection.Both, 0);

        Assert.Equal(RelayOutcome.TcpFailed, (await relay.Bounded()).Outcome);
        var reset = await Assert.ThrowsAsync<SocketException>(() => StreamIo.ReceiveToEndAsync(socket).Bounded());
        Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);
    }

    /// <summary>Opens a stream by hand, sends the request and reads the status.</summary>
    private static async Task<TunnelStatus> RawOpenAsync(ITunnelConnection connection, OpenStreamRequest request)
    {
        ITunnelStream stream = await connection.OpenStreamAsync();
        byte[] bytes = new byte[request.Length];
        request.Encode(bytes);
        await stream.WriteAsync(bytes);
        byte[] response = await StreamIo.ReadExactlyAsync(stream, OpenStreamResponse.Length).Bounded();
        Assert.Equal(DecodeStatus.Complete, OpenStreamResponse.TryDecode(response, out OpenStreamResponse decoded, out _));
        return decoded.Status;
    }
}
