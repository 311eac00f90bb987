namespace AwgProxy.Cli.Tests.Commands;

/// <summary>The command line as a user meets it: the real executable, real exit codes and streams.</summary>
public class CliProcessTests
{
    [Fact]
    public async Task CheckExampleClient_PrintsTheSummaryAndTheBudget_ExitsZero()
    {
        var result = await CliProcess.RunAsync(["check", "-c", "docs/examples/client.ini"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        var lines = result.Stdout.Split('\n');
        Assert.Equal("docs/examples/client.ini: OK (client config, INI)", lines[0]);
        Assert.StartsWith("config: role=client server=vpn.example.org:51820 ", lines[1], StringComparison.Ordinal);
        Assert.Contains("wire-size budget for a 1472-byte wire MTU (each datagram: S_k random bytes + 4-byte header + QUIC):", lines);
        Assert.Contains("  1 initiation   52        56           1416", lines);
        Assert.Contains("  2 response     24        28           1444", lines);
        Assert.Contains("  3 cookie       18        22           1450", lines);
        Assert.Contains("  4 transport    12        16           1456", lines);
        Assert.Contains("  max QUIC datagram size: 1416 bytes (QUIC needs at least 1200)", lines);
        Assert.Contains("  I1: 29 bytes, sent before each ClientHello", lines);
        Assert.Contains("  junk: 4 datagrams of 40-70 bytes before each ClientHello", lines);
    }

    [Fact]
    public async Task CheckExampleServer_ExitsZero()
    {
        var result = await CliProcess.RunAsync(["check", "--config", "docs/examples/server.ini"]);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("docs/examples/server.ini: OK (server config, INI)\nconfig: role=server listen=0.0.0.0:51820 clients=1 revoked=1 ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("  max QUIC datagram size: 1416 bytes", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckBadFile_ExitsOneListingEveryProblemWithoutSecrets()
    {
        using var temp = new TempDirectory();
        var path = temp.File("bad.ini", """
            [Client]
            PrivateKey = TOPSECRETTOPSECRETTOPSECRET=
            ServerPublicKey = agNTrTGTS7EGsu8N3weAUceUWzlKqrJ8i0xOGuOpycA=
            Server = vpn.example.org:0
            [Socks5:Users]
            alice =
            [Awg]
            Jmin = 90
            Jmax = 70
            S4 = -1
            """);

        var result = await CliProcess.RunAsync(["check", "-c", path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Equal(
            [
                $"awgproxy check: {path}: 5 problems:",
                $"  {path}:2: [Client] PrivateKey = <redacted>: the key is not valid base64",
                $"  {path}:4: [Client] Server = 'vpn.example.org:0': the port must be a number from 1 to 65535",
                $"  {path}:6: [Socks5:Users] alice = <redacted>: a password is 1-255 bytes of UTF-8 (RFC 1929); this one is empty",
                $"  {path}:8: [Awg] Jmin = 90 is greater than Jmax = 70",
                $"  {path}:10: [Awg] S4 = -1: must not be negative",
                string.Empty,
            ],
            result.Stderr.Split('\n'));
        Assert.DoesNotContain("TOPSECRET", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnvironmentVariable_OverridesTheFile()
    {
        var plain = await CliProcess.RunAsync(["check", "-c", "docs/examples/client.ini"]);
        var overridden = await CliProcess.RunAsync(
            ["check", "-c", "docs/examples/client.ini"],
            environment: new Dictionary<string, string?> { ["AWGPROXY_Awg__Jc"] = "7", ["AWGPROXY_Socks5__Listen"] = "127.0.0.1:1081" });

        Assert.Equal(0, overridden.ExitCode);
        Assert.Contains(" socks5=127.0.0.1:1080 ", plain.Stdout, StringComparison.Ordinal);
        Assert.Contains(" awg=Jc4(40-70)/", plain.Stdout, StringComparison.Ordinal);
        Assert.Contains(" socks5=127.0.0.1:1081 ", overridden.Stdout, StringComparison.Ordinal);
        Assert.Contains(" awg=Jc7(40-70)/", overridden.Stdout, StringComparison.Ordinal);
        Assert.Contains("  junk: 7 datagrams of 40-70 bytes before each ClientHello", overridden.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidEnvironmentOverride_NamesTheVariable()
    {
        var result = await CliProcess.RunAsync(
            ["check", "-c", "docs/examples/client.ini"],
            environment: new Dictionary<string, string?> { ["AWGPROXY_Awg__Jmin"] = "999" });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("awgproxy check: environment AWGPROXY_Awg__Jmin: [Awg] Jmin = 999 is greater than Jmax = 70\n", result.Stderr);
    }

    [Fact]
    public async Task LogLevelDebug_EnablesDebugLines()
    {
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var environment = PortInUse(busy);
        var quiet = await CliProcess.RunAsync(["client", "-c", "docs/examples/client.ini"], environment: environment);
        environment["LOG_LEVEL"] = "Debug";
        var debug = await CliProcess.RunAsync(["client", "-c", "docs/examples/client.ini"], environment: environment);

        Assert.DoesNotContain(" dbug: ", quiet.Stdout, StringComparison.Ordinal);
        Assert.Contains(" info: AwgProxy.Cli[102] config: role=client ", quiet.Stdout, StringComparison.Ordinal);
        Assert.Contains(" dbug: AwgProxy.Cli[101] config: loaded docs/examples/client.ini (INI)", debug.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info: AwgProxy\.Cli\[102\] config: role=client .* log=debug$", debug.Stdout.Split('\n')[1]);
    }

    [Fact]
    public async Task Client_Socks5PortInUse_ExitsOneSayingSoWithoutTouchingTheNetwork()
    {
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();

        var result = await CliProcess.RunAsync(["client", "-c", "docs/examples/client.ini"], environment: PortInUse(busy));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"client: cannot listen on 127.0.0.1:{((System.Net.IPEndPoint)busy.LocalEndpoint).Port} for SOCKS5: the address is already in use", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Tunnel", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_UdpPortInUse_ExitsOneSayingSo()
    {
        using var busy = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        int port = ((System.Net.IPEndPoint)busy.Client.LocalEndPoint!).Port;

        var result = await CliProcess.RunAsync(
            ["server", "-c", "docs/examples/server.ini"],
            environment: new Dictionary<string, string?> { ["AWGPROXY_Server__Listen"] = $"127.0.0.1:{port}", ["AWGPROXY_Metrics__Listen"] = "127.0.0.1:0" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"server: cannot listen on udp 127.0.0.1:{port}: the address is already in use", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_NonLoopbackSocks5_ExitsOneAndWritesNothing()
    {
        using var temp = new TempDirectory();
        var dir = Path.Combine(temp.Path, "demo");

        var result = await CliProcess.RunAsync(["demo", "--dir", dir, "--socks5", "0.0.0.0:1080"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("awgproxy demo: --socks5 0.0.0.0:1080: the demo listens on loopback addresses only (its server may reach this machine's own services)\n", result.Stderr);
        Assert.False(Directory.Exists(dir));
    }

    /// <summary>The example client, its SOCKS5 port taken by <paramref name="busy"/>, its server a local discard port, metrics on a free port.</summary>
    private static Dictionary<string, string?> PortInUse(System.Net.Sockets.TcpListener busy) => new()
    {
        ["AWGPROXY_Socks5__Listen"] = $"127.0.0.1:{((System.Net.IPEndPoint)busy.LocalEndpoint).Port}",
        ["AWGPROXY_Client__Server"] = "127.0.0.1:9",
        ["AWGPROXY_Metrics__Listen"] = "127.0.0.1:0",
    };

    [Theory]
    [InlineData("verbose")]
    [InlineData("5")]
    public async Task InvalidLogLevel_ExitsOneWithAMessage(string level)
    {
        var result = await CliProcess.RunAsync(["server", "-c", "docs/examples/server.ini"], environment: new Dictionary<string, string?> { ["LOG_LEVEL"] = level });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Equal($"awgproxy server: LOG_LEVEL = '{level}' is not a log level; use trace, debug, information, warning, error, critical or none\n", result.Stderr);
    }

    [Theory]
    [InlineData(new[] { "check" }, "awgproxy: Option '--config' is required.\nRun 'awgproxy check --help' for usage.\n")]
    [InlineData(new[] { "client", "-c", "x.ini", "--frobnicate" }, "awgproxy: Unrecognized command or argument '--frobnicate'.\nRun 'awgproxy client --help' for usage.\n")]
    [InlineData(new[] { "launch" }, "awgproxy: Required command was not provided.\nawgproxy: Unrecognized command or argument 'launch'.\nRun 'awgproxy --help' for usage.\n")]
    [InlineData(new[] { "client", "-c", "/nonexistent/awgproxy.ini" }, "awgproxy client: cannot read /nonexistent/awgproxy.ini: no such file\n")]
    [InlineData(new[] { "server", "-c", "docs/examples/client.ini" }, "awgproxy server: docs/examples/client.ini: is a client config ([Client]); run it with 'awgproxy client'\n")]
    public async Task BadCommandLine_PrintsAClearMessageAndExitsOne(string[] args, string stderr)
    {
        var result = await CliProcess.RunAsync(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(stderr, result.Stderr);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Version_PrintsTheVersion()
    {
        var result = await CliProcess.RunAsync(["--version"]);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("0.1.0", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsEveryCommand()
    {
        var result = await CliProcess.RunAsync(["--help"]);

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "client", "server", "check", "genkey", "pubkey", "demo" })
        {
            Assert.Matches($"(?m)^  {command} ", result.Stdout);
        }
    }
}
