using System.Net;
using System.Net.Sockets;
using AwgProxy.Socks5.Protocol;
using AwgProxy.Socks5.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AwgProxy.Socks5.Tests;

public class Socks5ServerLifecycleTests
{
    private static readonly Action<Socks5ServerOptions> s_shortHandshake = o => o.HandshakeTimeout = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task SilentClient_ClosedWithoutAnswerAfterTheHandshakeTimeout()
    {
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler(), s_shortHandshake);
        using Socks5TestClient client = await Socks5TestClient.ConnectAsync(server.EndPoint);

        await client.AssertClosedWithoutDataAsync();

        await server.WaitForNoSessionsAsync();
        Assert.Contains(server.Logs.Records, r => r.EventId.Id == 23);
    }

    [Fact]
    public async Task ClientStallsInAuthentication_StatusFailureThenCloseAtTheHandshakeTimeout()
    {
        var time = new FakeTimeProvider();
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler(), timeProvider: time);
        using Socks5TestClient client = await Socks5TestClient.ConnectAsync(server.EndPoint);
        await client.GreetAsync(Socks5AuthMethod.UsernamePassword);
        await client.SendAsync([0x01, 0x05, (byte)'a']);

        time.Advance(Socks5ServerDefaults.HandshakeTimeout);

        Assert.False((await client.ReadAuthenticationResponseAsync()).Succeeded);
        await client.AssertClosedWithoutDataAsync();
        Assert.Contains(server.Logs.Records, r => r.EventId.Id == 23 && r.Message.Contains("Authentication", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientStallsInRequest_TtlExpiredThenCloseAtTheHandshakeTimeout()
    {
        var time = new FakeTimeProvider();
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler(), timeProvider: time);
        using Socks5TestClient client = await Socks5TestClient.ConnectAsync(server.EndPoint);
        await client.GreetAsync(Socks5AuthMethod.UsernamePassword);
        await client.AuthenticateAsync(TestServer.UserName, TestServer.Password);
        await client.SendAsync([0x05, 0x01, 0x00]);

        time.Advance(Socks5ServerDefaults.HandshakeTimeout);

        Assert.Equal(Socks5ReplyCode.TtlExpired, (await client.ReadReplyAsync()).ReplyCode);
        await client.AssertClosedWithoutDataAsync();
    }

    [Fact]
    public async Task HandshakeTimeNotYetElapsed_SessionIsStillServed()
    {
        await using var echo = new EchoServer(IPAddress.Loopback);
        var time = new FakeTimeProvider();
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler(), timeProvider: time);
        using Socks5TestClient client = await Socks5TestClient.ConnectAsync(server.EndPoint);
        await client.GreetAsync(Socks5AuthMethod.UsernamePassword);

        time.Advance(Socks5ServerDefaults.HandshakeTimeout - TimeSpan.FromMilliseconds(1));

        Assert.True((await client.AuthenticateAsync(TestServer.UserName, TestServer.Password)).Succeeded);
        Assert.Equal(Socks5ReplyCode.Succeeded, (await client.RequestAsync(Socks5Command.Connect, TestServer.Loopback, (ushort)echo.EndPoint.Port)).ReplyCode);
    }

    [Fact]
    public async Task SessionLimitReached_ExtraConnectionClosedAtOnceWhileOthersAreServed()
    {
        await using var echo = new EchoServer(IPAddress.Loopback);
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler(), o => o.MaxConcurrentSessions = 1);
        (Socks5TestClient first, Socks5Reply reply) = await Socks5TestClient.ConnectThroughAsync(server.EndPoint, TestServer.Loopback, (ushort)echo.EndPoint.Port);
        using Socks5TestClient firstLifetime = first;
        Assert.Equal(Socks5ReplyCode.Succeeded, reply.ReplyCode);

        using (Socks5TestClient second = await Socks5TestClient.ConnectAsync(server.EndPoint))
        {
            await second.AssertClosedWithoutDataAsync();
        }

        byte[] payload = RelayData.Random(1000, seed: 4);
        Assert.Equal(payload, await RelayData.RoundTripAsync(first.Socket, payload));
        Assert.Contains(server.Logs.Records, r => r.EventId.Id == 4);
    }

    [Fact]
    public async Task StopAsync_WhenItsTokenFires_AbortsActiveRelays()
    {
        using var upstreamListener = new LoopbackListener(IPAddress.Loopback);
        var handler = new DirectConnectHandler();
        await using TestServer server = await TestServer.StartAsync(handler);
        IPEndPoint endPoint = server.EndPoint;
        (Socks5TestClient client, _) = await Socks5TestClient.ConnectThroughAsync(endPoint, TestServer.Loopback, (ushort)upstreamListener.EndPoint.Port);
        using Socks5TestClient clientLifetime = client;
        using Socket upstream = await upstreamListener.AcceptAsync();

        using var grace = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await server.Server.StopAsync(grace.Token).WaitAsync(TestTimeouts.Operation);

        Assert.Equal(0, server.Server.ActiveSessionCount);
        SocketException clientError = await Assert.ThrowsAsync<SocketException>(client.ReceiveToEndAsync);
        Assert.Equal(SocketError.ConnectionReset, clientError.SocketErrorCode);
        await Assert.ThrowsAsync<SocketException>(async () => await upstream.ReceiveAsync(new byte[16], SocketFlags.None, TestTimeouts.Token()));
        await Assert.ThrowsAsync<SocketException>(() => Socks5TestClient.ConnectAsync(endPoint));
    }

    [Fact]
    public async Task StopAsync_WithoutDeadline_LetsActiveRelaysFinish()
    {
        await using var echo = new EchoServer(IPAddress.Loopback);
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler());
        IPEndPoint endPoint = server.EndPoint;
        (Socks5TestClient client, _) = await Socks5TestClient.ConnectThroughAsync(endPoint, TestServer.Loopback, (ushort)echo.EndPoint.Port);
        using Socks5TestClient clientLifetime = client;

        Task stop = server.Server.StopAsync();
        await WaitUntilRefusedAsync(endPoint);

        // Draining: the relay still works, and the stop waits for it.
        byte[] payload = RelayData.Random(20_000, seed: 5);
        Assert.Equal(payload, await RelayData.RoundTripAsync(client.Socket, payload));
        Assert.False(stop.IsCompleted);

        client.Socket.Shutdown(SocketShutdown.Send);
        Assert.Empty(await client.ReceiveToEndAsync());
        await stop.WaitAsync(TestTimeouts.Operation);
        Assert.Equal(0, server.Server.ActiveSessionCount);
    }

    [Fact]
    public async Task StopAsync_EndsHandshakesAndPendingConnectsAtOnce()
    {
        var handler = new HangingHandler();
        await using TestServer server = await TestServer.StartAsync(handler);
        using Socks5TestClient silent = await Socks5TestClient.ConnectAsync(server.EndPoint);
        using Socks5TestClient connecting = await Socks5TestClient.ConnectAsync(server.EndPoint);
        await connecting.GreetAsync(Socks5AuthMethod.UsernamePassword);
        await connecting.AuthenticateAsync(TestServer.UserName, TestServer.Password);
        await connecting.SendAsync(Socks5TestClient.EncodeRequest(Socks5Command.Connect, TestServer.Loopback, 80));
        await handler.Entered.WaitAsync(TestTimeouts.Operation);

        // No deadline: only relays may hold the stop, and there are none.
        await server.Server.StopAsync().WaitAsync(TestTimeouts.Operation);

        Assert.Equal(Socks5ReplyCode.GeneralFailure, (await connecting.ReadReplyAsync()).ReplyCode);
        await connecting.AssertClosedWithoutDataAsync();
        await silent.AssertClosedWithoutDataAsync();
    }

    [Fact]
    public async Task StartAsync_Twice_Throws()
    {
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler());
        await Assert.ThrowsAsync<InvalidOperationException>(() => server.Server.StartAsync());
    }

    [Fact]
    public async Task StopBeforeStart_CompletesAndStartIsThenRefused()
    {
        await using var server = new Socks5Server(TestServer.CreateOptions(), new DirectConnectHandler());
        await server.StopAsync();
        await server.StopAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => server.StartAsync());
    }

    [Fact]
    public async Task EndpointInUse_StartThrowsAndBindsNothing()
    {
        using var occupied = new LoopbackListener(IPAddress.Loopback);
        Socks5ServerOptions options = TestServer.CreateOptions();
        options.ListenEndPoints.Clear();
        options.ListenEndPoints.Add("127.0.0.1:0");
        options.ListenEndPoints.Add($"127.0.0.1:{occupied.EndPoint.Port}");
        await using var server = new Socks5Server(options, new DirectConnectHandler());

        SocketException error = await Assert.ThrowsAsync<SocketException>(() => server.StartAsync());

        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
        Assert.Empty(server.LocalEndPoints);
    }

    [Fact]
    public void InvalidOptions_ConstructorReportsEveryProblem()
    {
        var options = new Socks5ServerOptions { HandshakeTimeout = TimeSpan.Zero, MaxConcurrentSessions = 0 };
        options.ListenEndPoints.Add("localhost:1080");

        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => new Socks5Server(options, new DirectConnectHandler()));

        Assert.Equal(4, error.Failures.Count());
    }

    private static async Task WaitUntilRefusedAsync(IPEndPoint endPoint)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Operation);
        while (true)
        {
            try
            {
                using Socks5TestClient probe = await Socks5TestClient.ConnectAsync(endPoint);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
            {
                return;
            }

            await Task.Delay(10, timeout.Token);
        }
    }
}
