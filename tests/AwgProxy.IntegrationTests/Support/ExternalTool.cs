using System.Diagnostics;

namespace AwgProxy.IntegrationTests.Support;

/// <summary>Runs an external program (curl, ncat, python3, ip) with a time bound and captures its output.</summary>
internal static class ExternalTool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
    }

    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/>, writing <paramref name="stdin"/> if given.</summary>
    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> arguments, byte[]? stdin = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cancellation = new CancellationTokenSource(timeout ?? Bounds.Step);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout ?? Bounds.Step}.");
        }

        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>Runs a command inside a network namespace (<c>ip netns exec</c>).</summary>
    public static Task<Result> RunInNetnsAsync(string netns, string fileName, IEnumerable<string> arguments, byte[]? stdin = null) =>
        RunAsync("ip", ["netns", "exec", netns, fileName, .. arguments], stdin);

    /// <summary>Runs <c>ip args</c> and fails when it fails.</summary>
    public static async Task IpAsync(params string[] arguments)
    {
        Result result = await RunAsync("ip", arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed (the network-namespace tests need root):\n{result}");
        }
    }
}
