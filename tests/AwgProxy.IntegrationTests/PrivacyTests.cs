using AwgProxy.IntegrationTests.Support;

namespace AwgProxy.IntegrationTests;

/// <summary>At LOG_LEVEL=debug a whole session is logged in detail, and still no key, password or payload byte appears.</summary>
public class PrivacyTests
{
    private const string Marker = "PAYLOAD-MARKER-7f3a9c1e";

    [Fact]
    public async Task DebugLevelFullSession_NoKeyPasswordOrPayloadInEitherProcessOutput()
    {
        await using var echo = new EchoServer();
        await using var http = new LocalHttpServer(System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(Marker, 1000))), textBody: Marker + "\n");
        await using ProxyPair pair = await ProxyPair.StartAsync(new ProxyPairOptions { LogLevel = "debug" });
        string proxy = $"{ProxyPair.User}:{ProxyPair.Password}@127.0.0.1:{pair.Socks5.Port}";

        // Downloads, an upload, an echo session, a wrong password, a refused destination.
        ExternalTool.Result download = await ExternalTool.RunAsync("curl", ["--silent", "--fail", "--max-time", "30", "--socks5-hostname", proxy, http.Url("/blob")]);
        Assert.True(download.ExitCode == 0, download.ToString());
        Assert.Contains(Marker, download.Stdout, StringComparison.Ordinal);
        string upload = Path.Combine(pair.Directory, "marker.txt");
        await File.WriteAllTextAsync(upload, Marker);
        ExternalTool.Result uploaded = await ExternalTool.RunAsync("curl", ["--silent", "--fail", "--max-time", "30", "--socks5-hostname", proxy, "--upload-file", upload, http.Url("/upload")]);
        Assert.True(uploaded.ExitCode == 0, uploaded.ToString());

        (byte reply, Socks5Probe session) = await Socks5Probe.OpenAsync(pair.Socks5, ProxyPair.User, ProxyPair.Password, "localhost", echo.Port);
        await using (session)
        {
            Assert.Equal(0, reply);
            Task<byte[]> reading = session.ReadToEndAsync();
            await session.Stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(Marker));
            session.CompleteWrites();
            Assert.Equal(Marker, System.Text.Encoding.ASCII.GetString(await reading));
        }

        await using (Socks5Probe wrong = await Socks5Probe.ConnectAsync(pair.Socks5))
        {
            await wrong.GreetAsync(Socks5Probe.UserPassword);
            Assert.NotEqual(0, await wrong.AuthenticateAsync(ProxyPair.User, "Wrong-" + ProxyPair.Password));
        }

        (reply, Socks5Probe refused) = await Socks5Probe.OpenAsync(pair.Socks5, ProxyPair.User, ProxyPair.Password, "127.0.0.1", 9);
        await refused.DisposeAsync();
        Assert.Equal(0x05, reply);

        // Stop both gracefully so that every buffered line is out.
        Assert.Equal(0, await pair.Client.InterruptAsync());
        Assert.Equal(0, await pair.Server.InterruptAsync());

        string output = string.Join('\n', pair.Server.Stdout, pair.Server.Stderr, pair.Client.Stdout, pair.Client.Stderr);
        Assert.Contains(" dbug: ", output, StringComparison.Ordinal);
        Assert.Contains("session closed", output, StringComparison.OrdinalIgnoreCase);
        string[] secrets =
        [
            pair.ServerKey.PrivateKeyBase64,
            pair.ClientKey.PrivateKeyBase64,
            pair.ServerKey.PublicKeyBase64,
            pair.ClientKey.PublicKeyBase64,
            ProxyPair.Password,
            Marker,
            Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(Marker)),
        ];
        foreach (string secret in secrets)
        {
            Assert.False(output.Contains(secret, StringComparison.OrdinalIgnoreCase), $"'{secret}' appears in the output");
        }

        // The private keys in any other encoding (hex) neither.
        foreach (byte[] key in new[] { pair.ServerKey.PrivateKey, pair.ClientKey.PrivateKey })
        {
            Assert.DoesNotContain(Convert.ToHexString(key), output, StringComparison.OrdinalIgnoreCase);
        }
    }
}
