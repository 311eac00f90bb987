using System.Globalization;
using AwgProxy.IntegrationTests.Support;

namespace AwgProxy.IntegrationTests;

/// <summary>Real SOCKS5 clients through the built client and server: curl, Python's socks module, ncat, and many connections at once.</summary>
[Collection(SharedPairCollection.Name)]
public class RealClientTests(SharedPairFixture fixture)
{
    private readonly ProxyPair _pair = fixture.Pair;

    private string Proxy => $"{ProxyPair.User}:{ProxyPair.Password}@127.0.0.1:{_pair.Socks5.Port}";

    [Fact]
    public async Task Curl_Downloads50MiB_Sha256Matches()
    {
        string output = Path.Combine(_pair.Directory, "download.bin");

        ExternalTool.Result curl = await ExternalTool.RunAsync(
            "curl",
            ["--silent", "--show-error", "--fail", "--max-time", "170", "--socks5-hostname", Proxy, "--output", output, fixture.Http.Url("/blob")],
            timeout: Bounds.Transfer);

        Assert.True(curl.ExitCode == 0, curl + "\n" + _pair.Describe());
        Assert.Equal(SharedPairFixture.BlobSize, new FileInfo(output).Length);
        Assert.Equal(TestData.Sha256Hex(fixture.Http.Blob), await TestData.Sha256HexAsync(output));
        File.Delete(output);
    }

    [Fact]
    public async Task Curl_Uploads50MiB_ServerSeesTheSameSha256()
    {
        string input = Path.Combine(_pair.Directory, "upload.bin");
        byte[] data = TestData.Bytes(SharedPairFixture.BlobSize, seed: 51);
        await File.WriteAllBytesAsync(input, data);

        ExternalTool.Result curl = await ExternalTool.RunAsync(
            "curl",
            ["--silent", "--show-error", "--fail", "--max-time", "170", "--socks5-hostname", Proxy, "--upload-file", input, fixture.Http.Url("/upload")],
            timeout: Bounds.Transfer);

        Assert.True(curl.ExitCode == 0, curl + "\n" + _pair.Describe());
        Assert.Equal(TestData.Sha256Hex(data), curl.Stdout.Trim());
        File.Delete(input);
    }

    [Fact]
    public async Task Curl_SmallRequestByName_ResolvedOnTheServer()
    {
        // socks5h: the name "localhost" travels to the server, which resolves it (and allows loopback here).
        ExternalTool.Result curl = await ExternalTool.RunAsync(
            "curl",
            ["--silent", "--show-error", "--fail", "--max-time", "30", "-x", $"socks5h://{Proxy}", $"http://localhost:{fixture.Http.Port}/text"]);

        Assert.True(curl.ExitCode == 0, curl + "\n" + _pair.Describe());
        Assert.Equal(fixture.Http.TextBody, curl.Stdout);
    }

    [Fact]
    public async Task PythonSocksModule_EchoesThroughTheProxy()
    {
        // Debian's python3-socks (PySocks) lives with /usr/bin/python3, not with a pyenv python on PATH.
        const string Script = """
            import socks, sys
            port, echo_port = int(sys.argv[1]), int(sys.argv[2])
            s = socks.socksocket()
            s.set_proxy(socks.SOCKS5, "127.0.0.1", port, rdns=True, username="alice", password="correct-horse-battery-staple")
            s.settimeout(30)
            s.connect(("localhost", echo_port))
            payload = bytes(range(256)) * 1024
            s.sendall(payload)
            s.shutdown(socks.socket.SHUT_WR)
            got = bytearray()
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
            print("echoed", len(got), got == payload)
            """;

        ExternalTool.Result python = await ExternalTool.RunAsync(
            "/usr/bin/python3",
            ["-c", Script, _pair.Socks5.Port.ToString(CultureInfo.InvariantCulture), fixture.Echo.Port.ToString(CultureInfo.InvariantCulture)]);

        Assert.True(python.ExitCode == 0, python + "\n" + _pair.Describe());
        Assert.Equal("echoed 262144 True", python.Stdout.Trim());
    }

    [Fact]
    public async Task Ncat_WithProxyAuth_EchoesThroughTheProxy()
    {
        // Printable bytes: ncat's output is read back as text.
        byte[] payload = System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(TestData.Bytes(75_000, seed: 7)));

        ExternalTool.Result ncat = await ExternalTool.RunAsync(
            "ncat",
            [
                "--proxy", $"127.0.0.1:{_pair.Socks5.Port}", "--proxy-type", "socks5", "--proxy-auth", $"{ProxyPair.User}:{ProxyPair.Password}",
                "127.0.0.1", fixture.Echo.Port.ToString(CultureInfo.InvariantCulture),
            ],
            stdin: payload);

        Assert.True(ncat.ExitCode == 0, ncat + "\n" + _pair.Describe());
        Assert.Equal(System.Text.Encoding.ASCII.GetString(payload), ncat.Stdout);
    }

    [Fact]
    public async Task HundredParallelConnections_AllEchoTheirOwnBytes()
    {
        const int Connections = 100;
        const int Size = 256 * 1024;
        Metrics before = await Metrics.ScrapeAsync(_pair.ClientMetrics);

        byte[][] results = await Task.WhenAll(Enumerable.Range(0, Connections).Select(async i =>
        {
            (byte reply, Socks5Probe probe) = await Socks5Probe.OpenAsync(_pair.Socks5, ProxyPair.User, ProxyPair.Password, "127.0.0.1", fixture.Echo.Port);
            await using (probe)
            {
                Assert.Equal(0, reply);
                byte[] payload = TestData.Bytes(Size, seed: 1000 + i);
                Task<byte[]> reading = probe.ReadToEndAsync(Bounds.Transfer);
                await probe.Stream.WriteAsync(payload);
                probe.CompleteWrites();
                return await reading;
            }
        })).WaitAsync(Bounds.Transfer);

        for (int i = 0; i < Connections; i++)
        {
            Assert.Equal(TestData.Sha256Hex(TestData.Bytes(Size, seed: 1000 + i)), TestData.Sha256Hex(results[i]));
        }

        Metrics after = await Metrics.WaitForAsync(
            _pair.ClientMetrics,
            "awgproxy_tunnel_client_stream_opens_total",
            before.Sum("awgproxy_tunnel_client_stream_opens_total", ("awgproxy_status", "succeeded")) + Connections,
            ("awgproxy_status", "succeeded"));
        Assert.True(after.Sum("awgproxy_socks5_bytes_in_bytes_total") - before.Sum("awgproxy_socks5_bytes_in_bytes_total") >= (double)Connections * Size);
    }
}
