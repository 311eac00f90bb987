using System.Net;
using AwgProxy.Socks5.Protocol;
using AwgProxy.Socks5.Tests.Infrastructure;

namespace AwgProxy.Socks5.Tests;

/// <summary>
/// Independent SOCKS5 clients against the server: curl and Python's socks module (Debian python3-socks).
/// Both are required on the machine; a missing tool fails the test rather than skipping it.
/// </summary>
public class RealClientTests
{
    private const string ClientUser = "tool-user";
    private const string ClientPassword = "tool-pass-0123456789";

    private static readonly Action<Socks5ServerOptions> s_toolUser =
        o => o.Users.Add(new Socks5User { UserName = ClientUser, Password = ClientPassword });

    [Fact]
    public async Task Curl_FetchesThroughTheProxy()
    {
        const string Body = "hello through socks5, from the responder\n";
        await using var web = new HttpResponder(IPAddress.Loopback, Body);
        var handler = new DirectConnectHandler();
        await using TestServer server = await TestServer.StartAsync(handler, s_toolUser);

        (int exitCode, string output, string error) = await ProcessRunner.RunAsync(
            "curl", "-sS", "--max-time", "20",
            "--socks5-hostname", $"{ClientUser}:{ClientPassword}@127.0.0.1:{server.EndPoint.Port}",
            $"http://127.0.0.1:{web.EndPoint.Port}/");

        Assert.True(exitCode == 0, $"curl exited {exitCode}: {error}");
        Assert.Equal(Body, output);
        Assert.Equal(ClientUser, Assert.Single(handler.Requests).UserName);
    }

    [Fact]
    public async Task Curl_SendsHostNamesUnresolved()
    {
        const string Body = "resolved by the far side";
        await using var web = new HttpResponder(IPAddress.Loopback, Body);
        var handler = new DirectConnectHandler();
        handler.Hosts["web.invalid"] = IPAddress.Loopback;
        await using TestServer server = await TestServer.StartAsync(handler, s_toolUser);

        (int exitCode, string output, string error) = await ProcessRunner.RunAsync(
            "curl", "-sS", "--max-time", "20",
            "--socks5-hostname", $"{ClientUser}:{ClientPassword}@127.0.0.1:{server.EndPoint.Port}",
            $"http://web.invalid:{web.EndPoint.Port}/");

        Assert.True(exitCode == 0, $"curl exited {exitCode}: {error}");
        Assert.Equal(Body, output);
        Socks5ConnectRequest request = Assert.Single(handler.Requests);
        Assert.Equal(Socks5AddressType.DomainName, request.DestinationAddress.Type);
        Assert.Equal("web.invalid", request.DestinationAddress.DomainName);
    }

    [Fact]
    public async Task Curl_WithWrongPassword_FailsWithoutReachingTheDestination()
    {
        await using var web = new HttpResponder(IPAddress.Loopback, "unreachable");
        var handler = new DirectConnectHandler();
        await using TestServer server = await TestServer.StartAsync(handler, s_toolUser);

        (int exitCode, _, _) = await ProcessRunner.RunAsync(
            "curl", "-sS", "--max-time", "20",
            "--socks5-hostname", $"{ClientUser}:wrong@127.0.0.1:{server.EndPoint.Port}",
            $"http://127.0.0.1:{web.EndPoint.Port}/");

        Assert.NotEqual(0, exitCode);
        Assert.Empty(handler.Requests);
        Assert.Equal(0, web.RequestCount);
    }

    [Fact]
    public async Task PythonSocks_ConnectsWithUsernamePasswordAndRelays()
    {
        await using var echo = new EchoServer(IPAddress.Loopback);
        var handler = new DirectConnectHandler();
        handler.Hosts["echo.invalid"] = IPAddress.Loopback;
        await using TestServer server = await TestServer.StartAsync(handler, s_toolUser);
        const string Script = """
            import sys, socks
            port, user, password, host, target_port = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
            s = socks.socksocket()
            s.settimeout(20)
            s.set_proxy(socks.SOCKS5, "127.0.0.1", port, rdns=True, username=user, password=password)
            s.connect((host, target_port))
            message = b"ping from python " * 1000
            s.sendall(message)
            s.shutdown(1)
            echoed = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                echoed += chunk
            s.close()
            print("ok" if echoed == message else "mismatch %d" % len(echoed))
            """;

        foreach (string host in new[] { "127.0.0.1", "echo.invalid" })
        {
            (int exitCode, string output, string error) = await ProcessRunner.RunAsync(
                ProcessRunner.Find("/usr/bin/python3", "python3"),
                "-c", Script, server.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ClientUser, ClientPassword, host, echo.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

            Assert.True(exitCode == 0, $"python3 exited {exitCode} (is python3-socks installed?): {error}");
            Assert.Equal("ok", output.Trim());
        }

        Socks5ConnectRequest[] requests = [.. handler.Requests];
        Assert.Equal(2, requests.Length);
        Assert.Equal(Socks5AddressType.IPv4, requests[0].DestinationAddress.Type);
        Assert.Equal("echo.invalid", requests[1].DestinationAddress.DomainName);
    }
}
