using System.Diagnostics;

namespace AwgProxy.Socks5.Tests.Infrastructure;

/// <summary>Runs an external program with a time bound and captures its output.</summary>
internal static class ProcessRunner
{
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunAsync(string fileName, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync(TestTimeouts.Token());
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish within {TestTimeouts.Operation}.");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>The first of <paramref name="candidates"/> that exists as a file, else the last one (looked up on PATH).</summary>
    public static string Find(params string[] candidates) =>
        candidates.FirstOrDefault(c => Path.IsPathRooted(c) && File.Exists(c)) ?? candidates[^1];
}
