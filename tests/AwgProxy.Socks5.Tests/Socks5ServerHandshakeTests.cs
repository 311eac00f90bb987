using System.Net;
using System.Net.Sockets;
using AwgProxy.Socks5.Protocol;
using AwgProxy.Socks5.Tests.Infrastructure;

namespace AwgProxy.Socks5.Tests;

public class Socks5ServerHandshakeTests
{
    [Fact]
    public async Task ConnectIPv4_RelaysToTheDestinationAndReportsTheBoundAddress()
    {
        await using var echo = new EchoServer(IPAddress.Loopback);
        var handler = new DirectConnectHandler();
        await using TestServer server = await TestServer.StartAsync(handler);

        (Socks5TestClient client, Socks5Reply reply) = await Socks5TestClient.ConnectThroughAsync(
            server.EndPoint, TestServer.Loopback, (ushort)echo.EndPoint.Port);
        using (client)
        {
            Assert.Equal(Socks5ReplyCode.Succeeded, reply.ReplyCode);
            Assert.Equal(Socks5Address.FromIPAddress(IPAddress.Loopback), reply.BoundAddress);
            Assert.NotEqual(0, reply.BoundPort);

            byte[] payload = RelayData.Random(100_000, seed: 1);
            Assert.Equal(payload, await RelayData.RoundTripAsync(client.Socket, payload));
        }

        Socks5ConnectRequest request = Assert.Single(handler.Requests);
        Assert.Equal(TestServer.UserName, request.UserName);
        Assert.Equal(Socks5AddressType.IPv4, request.DestinationAddress.Type);
        Assert.Equal(echo.EndPoint.Port, request.DestinationPort);
        Assert.Equal(server.EndPoint, request.ServerEndPoint);
        Assert.Equal(IPAddress.Loopback, request.ClientEndPoint.Address);
    }

    [Fact]
    public async Task ConnectIPv6_OverAnIPv6Listener_RelaysToTheDestination()
    {
        Assert.True(Socket.OSSupportsIPv6, "IPv6 is required by this test (::1 must be available); it is not skipped on purpose.");
        await using var echo = new EchoServer(IPAddress.IPv6Loopback);
        var handler = new DirectConnectHandler();
        await using TestServer server = await TestServer.StartAsync(handler, o => o.ListenEndPoints.Add("[::1]:0"));
        IPEndPoint v6EndPoint = Assert.Single(server.Server.LocalEndPoints, e => e.AddressFamily == AddressFamily.InterNetworkV6);

        (Socks5TestClient client, Socks5Reply reply) = await Socks5TestClient.ConnectThroughAsync(
            v6EndPoint, Socks5Address.FromIPAddress(IPAddress.IPv6Loopback), (ushort)echo.EndPoint.Port);
        using (client)
        {
            Assert.Equal(Socks5ReplyCode.Succeeded, reply.ReplyCode);
            Assert.Equal(Socks5AddressType.IPv6, reply.BoundAddress.Type);
            byte[] payload = RelayData.Random(50_000, seed: 6);
            Assert.Equal(payload, await RelayData.RoundTripAsync(client.Socket, payload));
        }

        Socks5ConnectRequest request = Assert.Single(handler.Requests);
        Assert.Equal(Socks5AddressType.IPv6, request.DestinationAddress.Type);
        Assert.Equal(IPAddress.IPv6Loopback, request.DestinationAddress.IPAddress);
    }

    [Fact]
    public async Task ConnectDomainName_HandlerSeesTheUnresolvedName()
    {
        await using var echo = new EchoServer(IPAddress.Loopback);
        var handler = new DirectConnectHandler();
        handler.Hosts["echo.invalid"] = IPAddress.Loopback;
        await using TestServer server = await TestServer.StartAsync(handler);

        (Socks5TestClient client, Socks5Reply reply) = await Socks5TestClient.ConnectThroughAsync(
            server.EndPoint, Socks5Address.FromDomainName("echo.invalid"), (ushort)echo.EndPoint.Port);
        using (client)
        {
            Assert.Equal(Socks5ReplyCode.Succeeded, reply.ReplyCode);
            byte[] payload = RelayData.Random(10_000, seed: 3);
            Assert.Equal(payload, await RelayData.RoundTripAsync(client.Socket, payload));
        }

        Socks5ConnectRequest request = Assert.Single(handler.Requests);
        Assert.Equal(Socks5AddressType.DomainName, request.DestinationAddress.Type);
        Assert.Equal("echo.invalid", request.DestinationAddress.DomainName);
    }

    [Fact]
    public async Task SecondConfiguredUser_IsAcceptedUnderItsOwnName()
    {
        await using var echo = new EchoServer(IPAddress.Loopback);
        var handler = new DirectConnectHandler();
        await using TestServer server = await TestServer.StartAsync(handler);

        (Socks5TestClient client, Socks5Reply reply) = await Socks5TestClient.ConnectThroughAsync(
            server.EndPoint, TestServer.Loopback, (ushort)echo.EndPoint.Port, TestServer.OtherUserName, TestServer.OtherPassword);
        client.Dispose();

        Assert.Equal(Socks5ReplyCode.Succeeded, reply.ReplyCode);
        Assert.Equal(TestServer.OtherUserName, Assert.Single(handler.Requests).UserName);
    }

    [Theory]
    [InlineData(TestServer.UserName, "wrong password")]
    [InlineData("mallory", TestServer.Password)]
    [InlineData(TestServer.UserName, TestServer.OtherPassword)]
    [InlineData(TestServer.UserName, "")]
    public async Task WrongCredentials_StatusFailureThenClose(string userName, string password)
    {
        var handler = new DirectConnectHandler();
        await using TestServer server = await TestServer.StartAsync(handler);
        using Socks5TestClient client = await Socks5TestClient.ConnectAsync(server.EndPoint);

        Assert.Equal(Socks5AuthMethod.UsernamePassword, (await client.GreetAsync(Socks5AuthMethod.UsernamePassword)).Method);
        UsernamePasswordResponse response = await client.AuthenticateAsync(userName, password);

        Assert.Equal(UsernamePasswordResponse.StatusFailure, response.Status);
        await client.AssertClosedWithoutDataAsync();
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task OnlyNoAuthenticationOffered_NoAcceptableMethodsThenClose()
    {
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler());
        using Socks5TestClient client = await Socks5TestClient.ConnectAsync(server.EndPoint);

        MethodSelectionReply reply = await client.GreetAsync(Socks5AuthMethod.NoAuthenticationRequired);

        Assert.Equal(Socks5AuthMethod.NoAcceptableMethods, reply.Method);
        await client.AssertClosedWithoutDataAsync();
    }

    [Fact]
    public async Task BothMethodsOffered_UsernamePasswordIsChosen()
    {
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler());
        using Socks5TestClient client = await Socks5TestClient.ConnectAsync(server.EndPoint);

        MethodSelectionReply reply = await client.GreetAsync(Socks5AuthMethod.NoAuthenticationRequired, Socks5AuthMethod.UsernamePassword);

        Assert.Equal(Socks5AuthMethod.UsernamePassword, reply.Method);
    }

    [Theory]
    [InlineData(new byte[] { 0x04, 0x01, 0x00, 0x50, 127, 0, 0, 1, 0x00 })] // SOCKS4 CONNECT
    [InlineData(new byte[] { (byte)'G', (byte)'E', (byte)'T', (byte)' ', (byte)'/' })] // HTTP
    public async Task NotSocks5Greeting_ClosedWithoutAnswer(byte[] greeting)
    {
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler());
        using Socks5TestClient client = await Socks5TestClient.ConnectAsync(server.EndPoint);

        await client.SendAsync(greeting);

        await client.AssertClosedWithoutDataAsync();
    }

    [Fact]
    public async Task MalformedAuthenticationVersion_StatusFailureThenClose()
    {
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler());
        using Socks5TestClient client = await Socks5TestClient.ConnectAsync(server.EndPoint);
        await client.GreetAsync(Socks5AuthMethod.UsernamePassword);

        // A client that skips RFC 1929 and sends its request.
        await client.SendAsync(Socks5TestClient.EncodeRequest(Socks5Command.Connect, TestServer.Loopback, 80));

        Assert.False((await client.ReadAuthenticationResponseAsync()).Succeeded);
        await client.AssertClosedWithoutDataAsync();
    }

    [Fact]
    public async Task Bind_CommandNotSupportedThenClose()
    {
        await AssertRequestAnsweredAsync(
            new DirectConnectHandler(), Socks5TestClient.EncodeRequest(Socks5Command.Bind, TestServer.Loopback, 0), Socks5ReplyCode.CommandNotSupported);
    }

    [Fact]
    public async Task UdpAssociateWithoutHandler_CommandNotSupportedThenClose()
    {
        await AssertRequestAnsweredAsync(
            new DirectConnectHandler(), Socks5TestClient.EncodeRequest(Socks5Command.UdpAssociate, TestServer.Loopback, 0), Socks5ReplyCode.CommandNotSupported);
    }

    [Fact]
    public async Task UnknownCommand_CommandNotSupportedThenClose()
    {
        await AssertRequestAnsweredAsync(
            new DirectConnectHandler(), [0x05, 0x09, 0x00, 0x01, 127, 0, 0, 1, 0, 80], Socks5ReplyCode.CommandNotSupported);
    }

    [Fact]
    public async Task UnknownAddressType_AddressTypeNotSupportedThenClose()
    {
        await AssertRequestAnsweredAsync(
            new DirectConnectHandler(), [0x05, 0x01, 0x00, 0x02, 127, 0, 0, 1, 0, 80], Socks5ReplyCode.AddressTypeNotSupported);
    }

    [Fact]
    public async Task EmptyDomainName_GeneralFailureThenClose()
    {
        await AssertRequestAnsweredAsync(
            new DirectConnectHandler(), [0x05, 0x01, 0x00, 0x03, 0x00, 0, 80], Socks5ReplyCode.GeneralFailure);
    }

    [Theory]
    [InlineData(Socks5ReplyCode.GeneralFailure)]
    [InlineData(Socks5ReplyCode.ConnectionNotAllowed)]
    [InlineData(Socks5ReplyCode.NetworkUnreachable)]
    [InlineData(Socks5ReplyCode.HostUnreachable)]
    [InlineData(Socks5ReplyCode.ConnectionRefused)]
    [InlineData(Socks5ReplyCode.TtlExpired)]
    public async Task HandlerFailureCode_ClientGetsExactlyThatCode(Socks5ReplyCode code)
    {
        await AssertRequestAnsweredAsync(
            new FixedReplyHandler(code), Socks5TestClient.EncodeRequest(Socks5Command.Connect, TestServer.Loopback, 80), code);
    }

    [Theory]
    [InlineData(SocketError.ConnectionRefused, Socks5ReplyCode.ConnectionRefused)]
    [InlineData(SocketError.HostUnreachable, Socks5ReplyCode.HostUnreachable)]
    [InlineData(SocketError.NetworkUnreachable, Socks5ReplyCode.NetworkUnreachable)]
    [InlineData(SocketError.TimedOut, Socks5ReplyCode.TtlExpired)]
    [InlineData(SocketError.AccessDenied, Socks5ReplyCode.ConnectionNotAllowed)]
    public async Task HandlerThrowsSocketException_ClientGetsTheMatchingCode(SocketError error, Socks5ReplyCode code)
    {
        await AssertRequestAnsweredAsync(
            new ThrowingHandler(new SocketException((int)error)), Socks5TestClient.EncodeRequest(Socks5Command.Connect, TestServer.Loopback, 80), code);
    }

    [Fact]
    public async Task HandlerThrowsOtherException_GeneralFailure()
    {
        await AssertRequestAnsweredAsync(
            new ThrowingHandler(new InvalidOperationException("tunnel down")),
            Socks5TestClient.EncodeRequest(Socks5Command.Connect, TestServer.Loopback, 80),
            Socks5ReplyCode.GeneralFailure);
    }

    [Fact]
    public async Task HandlerExceedsConnectTimeout_TtlExpired()
    {
        await AssertRequestAnsweredAsync(
            new HangingHandler(),
            Socks5TestClient.EncodeRequest(Socks5Command.Connect, TestServer.Loopback, 80),
            Socks5ReplyCode.TtlExpired,
            o => o.ConnectTimeout = TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task ConnectToClosedPort_ConnectionRefused()
    {
        int closedPort;
        using (var probe = new LoopbackListener(IPAddress.Loopback))
        {
            closedPort = probe.EndPoint.Port;
        }

        await AssertRequestAnsweredAsync(
            new DirectConnectHandler(),
            Socks5TestClient.EncodeRequest(Socks5Command.Connect, TestServer.Loopback, (ushort)closedPort),
            Socks5ReplyCode.ConnectionRefused);
    }

    [Fact]
    public async Task ClientTricklesOneByteAtATime_StillSucceeds()
    {
        await using var echo = new EchoServer(IPAddress.Loopback);
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler());
        using Socks5TestClient client = await Socks5TestClient.ConnectAsync(server.EndPoint);

        async Task TrickleAsync(byte[] message)
        {
            foreach (byte b in message)
            {
                await client.SendAsync([b]);
                await Task.Delay(2);
            }
        }

        await TrickleAsync([0x05, 0x01, 0x02]);
        Assert.Equal(Socks5AuthMethod.UsernamePassword, (await client.ReadMethodSelectionReplyAsync()).Method);
        await TrickleAsync(Socks5TestClient.EncodeAuthentication(TestServer.UserName, TestServer.Password));
        Assert.True((await client.ReadAuthenticationResponseAsync()).Succeeded);
        await TrickleAsync(Socks5TestClient.EncodeRequest(Socks5Command.Connect, Socks5Address.FromIPAddress(IPAddress.Loopback), (ushort)echo.EndPoint.Port));
        Assert.Equal(Socks5ReplyCode.Succeeded, (await client.ReadReplyAsync()).ReplyCode);

        byte[] payload = RelayData.Random(1000, seed: 2);
        Assert.Equal(payload, await RelayData.RoundTripAsync(client.Socket, payload));
    }

    [Fact]
    public async Task WholeHandshakeAndDataInOneWrite_DataReachesTheDestination()
    {
        await using var echo = new EchoServer(IPAddress.Loopback);
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler());
        using Socks5TestClient client = await Socks5TestClient.ConnectAsync(server.EndPoint);
        byte[] early = "sent before the reply"u8.ToArray();

        await client.SendAsync(
        [
            0x05, 0x01, 0x02,
            .. Socks5TestClient.EncodeAuthentication(TestServer.UserName, TestServer.Password),
            .. Socks5TestClient.EncodeRequest(Socks5Command.Connect, TestServer.Loopback, (ushort)echo.EndPoint.Port),
            .. early,
        ]);

        Assert.Equal(Socks5AuthMethod.UsernamePassword, (await client.ReadMethodSelectionReplyAsync()).Method);
        Assert.True((await client.ReadAuthenticationResponseAsync()).Succeeded);
        Assert.Equal(Socks5ReplyCode.Succeeded, (await client.ReadReplyAsync()).ReplyCode);
        Assert.Equal(early, await client.ReceiveExactlyAsync(early.Length));
    }

    [Fact]
    public async Task UdpAssociateWithHandler_RepliesWithTheRelayAndEndsTheAssociationWithTheTcpConnection()
    {
        var udpHandler = new RecordingUdpHandler();
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler(), udpHandler: udpHandler);
        using Socks5TestClient client = await Socks5TestClient.ConnectAsync(server.EndPoint);
        await client.GreetAsync(Socks5AuthMethod.UsernamePassword);
        await client.AuthenticateAsync(TestServer.UserName, TestServer.Password);

        Socks5Reply reply = await client.RequestAsync(Socks5Command.UdpAssociate, Socks5Address.FromIPAddress(IPAddress.Any), 0);

        Assert.Equal(Socks5ReplyCode.Succeeded, reply.ReplyCode);
        Assert.Equal(RecordingUdpHandler.RelayAddress, reply.BoundAddress);
        Assert.Equal(RecordingUdpHandler.RelayPort, reply.BoundPort);
        Socks5UdpAssociateRequest request = Assert.Single(udpHandler.Requests);
        Assert.Equal(TestServer.UserName, request.UserName);
        Assert.False(udpHandler.Association.Disposed.IsCompleted);

        client.Socket.Shutdown(SocketShutdown.Both);
        client.Dispose();
        await udpHandler.Association.Disposed.WaitAsync(TestTimeouts.Operation);
    }

    private static async Task AssertRequestAnsweredAsync(
        ISocks5ConnectHandler handler, byte[] request, Socks5ReplyCode expected, Action<Socks5ServerOptions>? configure = null)
    {
        await using TestServer server = await TestServer.StartAsync(handler, configure);
        using Socks5TestClient client = await Socks5TestClient.ConnectAsync(server.EndPoint);
        await client.GreetAsync(Socks5AuthMethod.UsernamePassword);
        Assert.True((await client.AuthenticateAsync(TestServer.UserName, TestServer.Password)).Succeeded);

        await client.SendAsync(request);
        Socks5Reply reply = await client.ReadReplyAsync();

        Assert.Equal(expected, reply.ReplyCode);
        Assert.Equal(Socks5Reply.Failure(expected), reply);
        await client.AssertClosedWithoutDataAsync();
    }

    private sealed class RecordingUdpHandler : ISocks5UdpAssociateHandler
    {
        public static readonly Socks5Address RelayAddress = Socks5Address.FromIPAddress(IPAddress.Loopback);
        public const ushort RelayPort = 40_000;

        public List<Socks5UdpAssociateRequest> Requests { get; } = [];

        public Association Association { get; } = new();

        public ValueTask<Socks5UdpAssociateResult> AssociateAsync(Socks5UdpAssociateRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return ValueTask.FromResult(Socks5UdpAssociateResult.Success(Association, RelayAddress, RelayPort));
        }
    }

    private sealed class Association : IAsyncDisposable
    {
        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Disposed => _disposed.Task;

        public ValueTask DisposeAsync()
        {
            _disposed.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }
}
