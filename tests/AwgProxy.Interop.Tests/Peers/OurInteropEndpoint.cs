using System.Net;
using System.Text.RegularExpressions;
using AwgProxy.Interop.QuicTransport;
using AwgProxy.Interop.Tests.Support;

namespace AwgProxy.Interop.Tests.Peers;

/// <summary>
/// Our side of an interop case: the interop tool's <c>client</c> and <c>server</c> commands run in-process over the
/// project's real QUIC transport on loopback UDP (<see cref="QuicInteropTransportFactory"/>), bounded in time.
/// </summary>
internal static partial class OurInteropEndpoint
{
    /// <summary>Bound on one whole command (a 10 MiB case takes a few seconds).</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [GeneratedRegex(@"^connected: alpn=(?<alpn>\S+) cipher=(?<cipher>\S+) group=(?<group>\S+) ", RegexOptions.Multiline)]
    public static partial Regex ClientConnected();

    [GeneratedRegex(@"^conn from \S+ alpn=(?<alpn>\S+) cipher=(?<cipher>\S+) group=(?<group>\S+)", RegexOptions.Multiline)]
    public static partial Regex ServerConnection();

    [GeneratedRegex(@"^stream \d+: received bytes=(?<bytes>\d+) sha256=(?<sha>[0-9a-f]{64})$", RegexOptions.Multiline)]
    public static partial Regex ServerReceived();

    [GeneratedRegex(@"^conn \S+ closed: .*key_updates=(?<keyUpdates>\d+) path_migrations=(?<migrations>\d+)", RegexOptions.Multiline)]
    public static partial Regex ServerConnectionClosed();

    /// <summary>Runs <c>client</c> with <paramref name="arguments"/>; returns its exit code and output.</summary>
    public static async Task<CommandResult> RunClientAsync(IEnumerable<string> arguments)
    {
        using var cts = new CancellationTokenSource(Bound);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = await InteropProgram.RunAsync(["client", .. arguments], new QuicInteropTransportFactory(), stdout, stderr, cts.Token);
        return new CommandResult(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Starts <c>server -listen 127.0.0.1:0 -max-conns 1 -v</c> with the shared certificate; the result holds its port.</summary>
    public static async Task<RunningServer> StartServerAsync(IEnumerable<string> arguments)
    {
        var cts = new CancellationTokenSource(Bound);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var listening = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int> run = InteropProgram.RunAsync(
            ["server", "-listen", "127.0.0.1:0", "-max-conns", "1", "-lifetime", "80s", "-v",
                "-cert", PeerEnvironment.CertificatePath, "-key", PeerEnvironment.PrivateKeyPath, .. arguments],
            new QuicInteropTransportFactory(),
            stdout,
            stderr,
            cts.Token,
            endPoint => listening.TrySetResult(endPoint));
        await Task.WhenAny(listening.Task, run).WaitAsync(cts.Token);
        if (!listening.Task.IsCompleted)
        {
            cts.Dispose();
            Assert.Fail($"our server did not start:\n{stdout}\n{stderr}");
        }

        return new RunningServer(((IPEndPoint)await listening.Task).Port, run, stdout, stderr, cts);
    }

    internal sealed record CommandResult(int Exit, string Stdout, string Stderr)
    {
        public string Describe => $"exit {Exit}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";

        /// <summary>The RESULT ok line's digest; fails the test unless the command succeeded.</summary>
        public string Sha256()
        {
            string last = Stdout.TrimEnd('\n', '\r').Split('\n')[^1].TrimEnd('\r');
            Match ok = InteropHarness.ResultOk().Match(last);
            Assert.True(Exit == 0 && ok.Success, "our client failed:\n" + Describe);
            return ok.Groups["sha"].Value;
        }
    }

    /// <summary>Our server while it runs; disposing stops it if it is still running.</summary>
    internal sealed class RunningServer(int port, Task<int> run, StringWriter stdout, StringWriter stderr, CancellationTokenSource stop) : IAsyncDisposable
    {
        public int Port => port;

        public string Output => $"{stdout}\n{stderr}";

        /// <summary>Waits for the server to exit by itself (after its one connection); fails the test past the bound.</summary>
        public async Task<int> WaitForExitAsync(TimeSpan timeout)
        {
            try
            {
                return await run.WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"our server did not exit within {timeout.TotalSeconds:0} s after its connection:\n{Output}");
                return -1;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            try
            {
                await run.WaitAsync(TimeSpan.FromSeconds(15));
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                // Stopped as far as it goes; the test has its verdict already.
            }

            stop.Dispose();
        }
    }
}
