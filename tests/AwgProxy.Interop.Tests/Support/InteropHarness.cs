using System.Text.RegularExpressions;
using AwgProxy.Interop.Tests.InMemory;

namespace AwgProxy.Interop.Tests.Support;

/// <summary>Runs the real <c>server</c> and <c>client</c> commands in-process over the in-memory transport.</summary>
internal static partial class InteropHarness
{
    /// <summary>The success line, exactly: bytes, 64 lowercase hex digits, one decimal.</summary>
    [GeneratedRegex(@"^RESULT ok bytes=(?<bytes>[0-9]+) sha256=(?<sha>[0-9a-f]{64}) MiB_per_s=(?<rate>[0-9]+\.[0-9])$")]
    public static partial Regex ResultOk();

    [GeneratedRegex(@"^RESULT fail (?<reason>\S.*)$")]
    public static partial Regex ResultFail();

    /// <summary>Fake certificate paths, so the server does not generate one (the in-memory transport never reads them).</summary>
    public static readonly string[] FakeCertificate = ["-cert", "unused-cert.pem", "-key", "unused-key.pem"];

    public static async Task<RunResult> RunAsync(string[] serverArgs, string[] clientArgs, InMemoryInteropTransport? transport = null)
    {
        transport ??= new InMemoryInteropTransport();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serverOut = new StringWriter();
        var serverErr = new StringWriter();
        Task<int> server = InteropProgram.RunAsync(
            ["server", "-lifetime", "2m", "-max-conns", "1", .. FakeCertificate, .. serverArgs],
            transport,
            serverOut,
            serverErr,
            cts.Token,
            _ => listening.TrySetResult());
        await Task.WhenAny(listening.Task, server).WaitAsync(cts.Token);
        Assert.True(listening.Task.IsCompleted, "server did not start: " + serverErr);

        var clientOut = new StringWriter();
        var clientErr = new StringWriter();
        int clientExit = await InteropProgram.RunAsync(["client", .. clientArgs], transport, clientOut, clientErr, cts.Token);
        int serverExit = await server.WaitAsync(cts.Token);
        return new RunResult(clientExit, clientOut.ToString(), clientErr.ToString(), serverExit, serverOut.ToString(), transport);
    }

    internal sealed record RunResult(int ClientExit, string ClientOut, string ClientErr, int ServerExit, string ServerOut, InMemoryInteropTransport Transport)
    {
        public string LastClientLine => ClientOut.TrimEnd('\n', '\r').Split('\n')[^1].TrimEnd('\r');

        public Match OkMatch()
        {
            Match match = ResultOk().Match(LastClientLine);
            Assert.True(match.Success, $"client output:\n{ClientOut}\nstderr:\n{ClientErr}");
            return match;
        }
    }
}
