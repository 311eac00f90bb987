using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using AwgProxy.Socks5.Protocol;
using AwgProxy.Socks5.Tests.Infrastructure;

namespace AwgProxy.Socks5.Tests;

public class Socks5ServerRelayTests
{
    [Fact]
    public async Task ClientHalfCloses_UpstreamSeesEofAndClientStillReceivesTheRest()
    {
        using var upstreamListener = new LoopbackListener(IPAddress.Loopback);
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler());
        (Socks5TestClient client, Socks5Reply reply) = await Socks5TestClient.ConnectThroughAsync(
            server.EndPoint, TestServer.Loopback, (ushort)upstreamListener.EndPoint.Port);
        using Socks5TestClient clientLifetime = client;
        Assert.Equal(Socks5ReplyCode.Succeeded, reply.ReplyCode);
        using Socket upstream = await upstreamListener.AcceptAsync();

        await client.SendAsync("request"u8.ToArray());
        client.Socket.Shutdown(SocketShutdown.Send);

        // The upstream gets the bytes and then the FIN...
        Assert.Equal("request"u8.ToArray(), await ReceiveToEndAsync(upstream));

        // ...and can still answer, which reaches the client, followed by the upstream's own FIN.
        byte[] response = RelayData.Random(200_000, seed: 9);
        await upstream.SendAsync(response, SocketFlags.None, TestTimeouts.Token());
        upstream.Shutdown(SocketShutdown.Send);
        Assert.Equal(response, await client.ReceiveToEndAsync());
    }

    [Fact]
    public async Task UpstreamHalfCloses_ClientSeesEofAndItsWritesStillReachUpstream()
    {
        using var upstreamListener = new LoopbackListener(IPAddress.Loopback);
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler());
        (Socks5TestClient client, _) = await Socks5TestClient.ConnectThroughAsync(
            server.EndPoint, TestServer.Loopback, (ushort)upstreamListener.EndPoint.Port);
        using Socks5TestClient clientLifetime = client;
        using Socket upstream = await upstreamListener.AcceptAsync();

        await upstream.SendAsync("banner"u8.ToArray(), SocketFlags.None, TestTimeouts.Token());
        upstream.Shutdown(SocketShutdown.Send);

        Assert.Equal("banner"u8.ToArray(), await client.ReceiveToEndAsync());

        byte[] late = RelayData.Random(200_000, seed: 10);
        await client.Socket.SendAsync(late, SocketFlags.None, TestTimeouts.Token());
        client.Socket.Shutdown(SocketShutdown.Send);
        Assert.Equal(late, await ReceiveToEndAsync(upstream));
    }

    [Fact]
    public async Task ClientResets_UpstreamIsReset()
    {
        using var upstreamListener = new LoopbackListener(IPAddress.Loopback);
        var handler = new DirectConnectHandler();
        await using TestServer server = await TestServer.StartAsync(handler);
        (Socks5TestClient client, _) = await Socks5TestClient.ConnectThroughAsync(
            server.EndPoint, TestServer.Loopback, (ushort)upstreamListener.EndPoint.Port);
        using Socket upstream = await upstreamListener.AcceptAsync();

        await client.SendAsync("partial"u8.ToArray());
        Assert.Equal("partial"u8.ToArray(), await ReceiveExactlyAsync(upstream, 7));
        client.Socket.LingerState = new LingerOption(true, 0);
        client.Dispose();

        SocketException error = await Assert.ThrowsAsync<SocketException>(() => ReceiveToEndAsync(upstream));
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        await server.WaitForNoSessionsAsync();
        Assert.Equal(1, Assert.Single(handler.Upstreams).AbortCount);
    }

    [Fact]
    public async Task UpstreamResets_ClientIsReset()
    {
        using var upstreamListener = new LoopbackListener(IPAddress.Loopback);
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler());
        (Socks5TestClient client, _) = await Socks5TestClient.ConnectThroughAsync(
            server.EndPoint, TestServer.Loopback, (ushort)upstreamListener.EndPoint.Port);
        using Socks5TestClient clientLifetime = client;
        Socket upstream = await upstreamListener.AcceptAsync();

        await upstream.SendAsync("partial"u8.ToArray(), SocketFlags.None, TestTimeouts.Token());
        Assert.Equal("partial"u8.ToArray(), await client.ReceiveExactlyAsync(7));
        upstream.LingerState = new LingerOption(true, 0);
        upstream.Dispose();

        SocketException error = await Assert.ThrowsAsync<SocketException>(client.ReceiveToEndAsync);
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
    }

    [Fact]
    public async Task BothSidesHalfClose_SessionEndsCleanly()
    {
        await using var echo = new EchoServer(IPAddress.Loopback);
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler());
        (Socks5TestClient client, _) = await Socks5TestClient.ConnectThroughAsync(server.EndPoint, TestServer.Loopback, (ushort)echo.EndPoint.Port);
        using Socks5TestClient clientLifetime = client;

        byte[] payload = RelayData.Random(64_000, seed: 11);
        await client.Socket.SendAsync(payload, SocketFlags.None, TestTimeouts.Token());
        client.Socket.Shutdown(SocketShutdown.Send);

        // The echo server answers the FIN with its own: all data, then EOF, then the session is gone.
        Assert.Equal(payload, await client.ReceiveToEndAsync());
        await server.WaitForNoSessionsAsync();
        Assert.Contains(server.Logs.Records, r => r.EventId.Id == 11 && r.Message.Contains("(Completed)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IdleRelay_IsClosedAfterTheIdleTimeout()
    {
        using var upstreamListener = new LoopbackListener(IPAddress.Loopback);
        await using TestServer server = await TestServer.StartAsync(
            new DirectConnectHandler(), o => o.IdleTimeout = TimeSpan.FromMilliseconds(300));
        (Socks5TestClient client, _) = await Socks5TestClient.ConnectThroughAsync(
            server.EndPoint, TestServer.Loopback, (ushort)upstreamListener.EndPoint.Port);
        using Socks5TestClient clientLifetime = client;
        using Socket upstream = await upstreamListener.AcceptAsync();

        // Neither side sends anything: both are aborted.
        await Assert.ThrowsAsync<SocketException>(client.ReceiveToEndAsync);
        await Assert.ThrowsAsync<SocketException>(() => ReceiveToEndAsync(upstream));
        await server.WaitForNoSessionsAsync();
        Assert.Contains(server.Logs.Records, r => r.EventId.Id == 40);
    }

    [Fact]
    public async Task HundredParallelSessions_EachRelaysItsOwnDataIntact()
    {
        await using var echo = new EchoServer(IPAddress.Loopback);
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler());

        async Task RunSessionAsync(int index)
        {
            (Socks5TestClient client, Socks5Reply reply) = await Socks5TestClient.ConnectThroughAsync(
                server.EndPoint, TestServer.Loopback, (ushort)echo.EndPoint.Port);
            using (client)
            {
                Assert.Equal(Socks5ReplyCode.Succeeded, reply.ReplyCode);
                byte[] payload = RelayData.Random(64 * 1024 + index, seed: 1000 + index);
                byte[] echoed = await RelayData.RoundTripAsync(client.Socket, payload);
                Assert.Equal(SHA256.HashData(payload), SHA256.HashData(echoed));
                client.Socket.Shutdown(SocketShutdown.Send);
                Assert.Empty(await client.ReceiveToEndAsync());
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 100).Select(RunSessionAsync)).WaitAsync(TestTimeouts.Operation * 2);
        await server.WaitForNoSessionsAsync();
    }

    private static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int count)
    {
        byte[] buffer = new byte[count];
        int total = 0;
        while (total < count)
        {
            int read = await socket.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None, TestTimeouts.Token());
            Assert.NotEqual(0, read);
            total += read;
        }

        return buffer;
    }

    private static async Task<byte[]> ReceiveToEndAsync(Socket socket)
    {
        var all = new MemoryStream();
        byte[] buffer = new byte[16 * 1024];
        CancellationToken token = TestTimeouts.Token();
        while (true)
        {
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, token);
            if (read == 0)
            {
                return all.ToArray();
            }

            all.Write(buffer, 0, read);
        }
    }
}
