using System.Text.RegularExpressions;
using AwgProxy.IntegrationTests.Support;

namespace AwgProxy.IntegrationTests;

/// <summary>The README's run command: <c>awgproxy demo</c> on a fresh machine, used at once with curl, stopped with Ctrl+C.</summary>
public class DemoTests
{
    [Fact]
    public async Task Demo_PrintsProxyAndMetricsUrls_CurlWorksAtOnce_CtrlCExitsCleanly()
    {
        await using var http = new LocalHttpServer([]);
        string directory = Path.Combine(Directory.CreateTempSubdirectory("awgproxy-it-demo-").FullName, "demo");
        await using AwgProxyProcess demo = AwgProxyProcess.Start("demo", ["demo", "--dir", directory]);

        Match proxy = await demo.WaitForLineAsync(@"^(socks5h://([^:@/]+):([^@/]+)@127\.0\.0\.1:(\d+))$");
        Match metrics = await demo.WaitForLineAsync(@"^(http://127\.0\.0\.1:\d+/metrics)$");
        Assert.Matches("loopback destinations", demo.Stdout);
        Assert.Contains($"configs with fresh keys in {directory}", demo.Stdout, StringComparison.Ordinal);

        ExternalTool.Result curl = await ExternalTool.RunAsync("curl", ["--silent", "--show-error", "--fail", "--max-time", "30", "-x", proxy.Groups[1].Value, http.Url("/text")]);
        Assert.True(curl.ExitCode == 0, curl + "\n" + demo.Describe());
        Assert.Equal(http.TextBody, curl.Stdout);

        Metrics scraped = await Metrics.WaitForAsync(new Uri(metrics.Groups[1].Value), "awgproxy_socks5_requests_total", 1, ("reply", "succeeded"));
        Assert.True(scraped.Sum("awgproxy_quic_handshakes_total", ("result", "succeeded")) >= 2); // the client's and the server's side

        // The demo's files: owner-only, the printed password is the one in client.ini.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, "client.ini")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, "server.ini")));
        Assert.Contains($"{proxy.Groups[2].Value} = {proxy.Groups[3].Value}", await File.ReadAllTextAsync(Path.Combine(directory, "client.ini")), StringComparison.Ordinal);

        Assert.Equal(0, await demo.InterruptAsync());
        Assert.Contains("demo: stopped", demo.Stdout, StringComparison.Ordinal);
        Directory.Delete(Path.GetDirectoryName(directory)!, recursive: true);
    }
}
