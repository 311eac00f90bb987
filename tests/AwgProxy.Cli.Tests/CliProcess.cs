using System.Diagnostics;

namespace AwgProxy.Cli.Tests;

/// <summary>Runs the built executable (<c>dotnet awgproxy.dll</c>) as a real process, bounded in time.</summary>
internal static class CliProcess
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    /// <summary>The executable the test project's build copied next to the tests.</summary>
    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "awgproxy.dll");

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs <c>dotnet awgproxy.dll args</c>, or with <paramref name="shell"/> <c>/bin/sh args</c>.</summary>
    public static async Task<Result> RunAsync(IEnumerable<string> args, string? stdin = null, IReadOnlyDictionary<string, string?>? environment = null, bool shell = false)
    {
        var start = new ProcessStartInfo(shell ? "/bin/sh" : DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot(),
        };
        if (!shell)
        {
            start.ArgumentList.Add(DllPath);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // A clean slate for the variables the CLI reads.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("AWGPROXY_", StringComparison.OrdinalIgnoreCase) || k == "LOG_LEVEL").ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(s_timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"awgproxy {string.Join(' ', args)} did not exit within {s_timeout}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The repository root (where docs/ is), found from the test's directory.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AwgProxy.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AwgProxy.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A file under docs/examples.</summary>
    public static string Example(string name) => Path.Combine(RepositoryRoot(), "docs", "examples", name);

    /// <summary>The dotnet host running the tests.</summary>
    public static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
