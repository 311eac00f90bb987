using System.Net;
using System.Net.Sockets;
using AwgProxy.Socks5.Protocol;
using AwgProxy.Socks5.Tests.Infrastructure;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Socks5.Tests;

public class Socks5ServerTelemetryTests
{
    [Fact]
    public async Task WrongPassword_CountsAnAuthFailureWithItsReason()
    {
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler());
        using var failures = new MetricCollector<long>(server.MeterFactory, Socks5Metrics.MeterName, "awgproxy.socks5.auth_failures");

        using (Socks5TestClient client = await Socks5TestClient.ConnectAsync(server.EndPoint))
        {
            await client.GreetAsync(Socks5AuthMethod.UsernamePassword);
            await client.AuthenticateAsync(TestServer.UserName, "not the password");
        }

        using (Socks5TestClient client = await Socks5TestClient.ConnectAsync(server.EndPoint))
        {
            await client.GreetAsync(Socks5AuthMethod.NoAuthenticationRequired);
        }

        await failures.WaitForMeasurementsAsync(2, TestTimeouts.Operation);
        IReadOnlyList<CollectedMeasurement<long>> measurements = failures.GetMeasurementSnapshot();
        Assert.Equal(2, measurements.Count);
        Assert.Contains(measurements, m => m.Value == 1 && (string?)m.Tags["reason"] == "invalid_credentials");
        Assert.Contains(measurements, m => m.Value == 1 && (string?)m.Tags["reason"] == "no_acceptable_method");
    }

    [Fact]
    public async Task Session_ActiveSessionsGoUpThenDown()
    {
        await using var echo = new EchoServer(IPAddress.Loopback);
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler());
        using var active = new MetricCollector<long>(server.MeterFactory, Socks5Metrics.MeterName, "awgproxy.socks5.active_sessions");

        (Socks5TestClient client, _) = await Socks5TestClient.ConnectThroughAsync(server.EndPoint, TestServer.Loopback, (ushort)echo.EndPoint.Port);
        using (client)
        {
            await active.WaitForMeasurementsAsync(1, TestTimeouts.Operation);
            Assert.Equal(1, active.LastMeasurement!.Value);
            client.Socket.Shutdown(SocketShutdown.Send);
            Assert.Empty(await client.ReceiveToEndAsync());
        }

        await active.WaitForMeasurementsAsync(2, TestTimeouts.Operation);
        Assert.Equal([1L, -1L], active.GetMeasurementSnapshot().Select(m => m.Value));
    }

    [Fact]
    public async Task Connect_RecordsRequestBytesAndLatency()
    {
        await using var echo = new EchoServer(IPAddress.Loopback);
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler());
        using var requests = new MetricCollector<long>(server.MeterFactory, Socks5Metrics.MeterName, "awgproxy.socks5.requests");
        using var bytesIn = new MetricCollector<long>(server.MeterFactory, Socks5Metrics.MeterName, "awgproxy.socks5.bytes_in");
        using var bytesOut = new MetricCollector<long>(server.MeterFactory, Socks5Metrics.MeterName, "awgproxy.socks5.bytes_out");
        using var latency = new MetricCollector<double>(server.MeterFactory, Socks5Metrics.MeterName, "awgproxy.socks5.connect.duration");
        byte[] payload = RelayData.Random(30_000, seed: 8);

        (Socks5TestClient client, _) = await Socks5TestClient.ConnectThroughAsync(server.EndPoint, TestServer.Loopback, (ushort)echo.EndPoint.Port);
        using (client)
        {
            await RelayData.RoundTripAsync(client.Socket, payload);
            client.Socket.Shutdown(SocketShutdown.Send);
            Assert.Empty(await client.ReceiveToEndAsync());
        }

        await server.WaitForNoSessionsAsync();
        CollectedMeasurement<long> request = Assert.Single(requests.GetMeasurementSnapshot());
        Assert.Equal("connect", request.Tags["command"]);
        Assert.Equal("succeeded", request.Tags["reply"]);
        Assert.Equal(payload.Length, bytesIn.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(payload.Length, bytesOut.GetMeasurementSnapshot().Sum(m => m.Value));
        CollectedMeasurement<double> duration = Assert.Single(latency.GetMeasurementSnapshot());
        Assert.Equal("succeeded", duration.Tags["reply"]);
        Assert.True(duration.Value >= 0);
    }

    [Fact]
    public async Task RefusedRequests_AreCountedByCommandAndReplyCode()
    {
        await using TestServer server = await TestServer.StartAsync(new FixedReplyHandler(Socks5ReplyCode.ConnectionRefused));
        using var requests = new MetricCollector<long>(server.MeterFactory, Socks5Metrics.MeterName, "awgproxy.socks5.requests");

        foreach (Socks5Command command in new[] { Socks5Command.Connect, Socks5Command.Bind })
        {
            using Socks5TestClient client = await Socks5TestClient.ConnectAsync(server.EndPoint);
            await client.GreetAsync(Socks5AuthMethod.UsernamePassword);
            await client.AuthenticateAsync(TestServer.UserName, TestServer.Password);
            await client.RequestAsync(command, TestServer.Loopback, 80);
        }

        await requests.WaitForMeasurementsAsync(2, TestTimeouts.Operation);
        IReadOnlyList<CollectedMeasurement<long>> measurements = requests.GetMeasurementSnapshot();
        Assert.Contains(measurements, m => (string?)m.Tags["command"] == "connect" && (string?)m.Tags["reply"] == "connection_refused");
        Assert.Contains(measurements, m => (string?)m.Tags["command"] == "bind" && (string?)m.Tags["reply"] == "command_not_supported");
    }

    [Fact]
    public async Task SessionLimit_CountsTheRejectedSession()
    {
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler(), o => o.MaxConcurrentSessions = 1);
        using var rejected = new MetricCollector<long>(server.MeterFactory, Socks5Metrics.MeterName, "awgproxy.socks5.rejected_sessions");
        using Socks5TestClient first = await Socks5TestClient.ConnectAsync(server.EndPoint);
        await first.GreetAsync(Socks5AuthMethod.UsernamePassword);

        using (Socks5TestClient second = await Socks5TestClient.ConnectAsync(server.EndPoint))
        {
            await second.AssertClosedWithoutDataAsync();
        }

        await rejected.WaitForMeasurementsAsync(1, TestTimeouts.Operation);
        Assert.Equal("session_limit", rejected.LastMeasurement!.Tags["reason"]);
    }

    [Fact]
    public async Task Logs_NeverContainPasswordsButNameUsersAndCarryStableEventIds()
    {
        const string WrongPassword = "Wr0ng-P4ssw0rd-Sentinel";
        await using var echo = new EchoServer(IPAddress.Loopback);
        await using TestServer server = await TestServer.StartAsync(new DirectConnectHandler());

        // A good session that moves data, a wrong password, and another user's password.
        (Socks5TestClient good, _) = await Socks5TestClient.ConnectThroughAsync(server.EndPoint, TestServer.Loopback, (ushort)echo.EndPoint.Port);
        using (good)
        {
            await RelayData.RoundTripAsync(good.Socket, "payload-bytes-sentinel"u8.ToArray());
            good.Socket.Shutdown(SocketShutdown.Send);
            await good.ReceiveToEndAsync();
        }

        foreach ((string user, string password) in new[] { (TestServer.UserName, WrongPassword), (TestServer.OtherUserName, TestServer.Password), ("mallory", TestServer.OtherPassword) })
        {
            using Socks5TestClient client = await Socks5TestClient.ConnectAsync(server.EndPoint);
            await client.GreetAsync(Socks5AuthMethod.UsernamePassword);
            Assert.False((await client.AuthenticateAsync(user, password)).Succeeded);
            await client.AssertClosedWithoutDataAsync();
        }

        await server.WaitForNoSessionsAsync();
        string text = server.Logs.AllText();
        Assert.DoesNotContain(TestServer.Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestServer.OtherPassword, text, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassword, text, StringComparison.Ordinal);
        Assert.DoesNotContain("payload-bytes-sentinel", text, StringComparison.Ordinal);

        CapturedLog[] authFailures = [.. server.Logs.Records.Where(r => r.EventId.Id == 21)];
        Assert.Equal(3, authFailures.Length);
        Assert.All(authFailures, r => Assert.Equal(LogLevel.Warning, r.Level));
        Assert.Contains(authFailures, r => r.Message.Contains("mallory", StringComparison.Ordinal));

        CapturedLog closed = Assert.Single(server.Logs.Records, r => r.EventId.Id == 11 && r.Message.Contains("(Completed)", StringComparison.Ordinal));
        Assert.Equal("SessionClosed", closed.EventId.Name);
        Assert.Contains("BytesIn=22", closed.Values);
        Assert.Contains("BytesOut=22", closed.Values);
        Assert.Contains($"UserName={TestServer.UserName}", closed.Values);
        Assert.Equal(4, server.Logs.Records.Count(r => r.EventId.Id == 10));
        CapturedLog[] endedEarly = [.. server.Logs.Records.Where(r => r.EventId.Id == 13)];
        Assert.Equal(3, endedEarly.Length);
        Assert.All(endedEarly, r => Assert.Contains("(AuthenticationFailed) before a request", r.Message, StringComparison.Ordinal));
    }
}
