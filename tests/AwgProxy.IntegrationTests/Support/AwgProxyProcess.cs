using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace AwgProxy.IntegrationTests.Support;

/// <summary>
/// The built <c>awgproxy</c> executable run as a child process (<c>dotnet awgproxy.dll ...</c>), optionally
/// inside a network namespace. Standard output and error are collected line by line; tests wait for lines.
/// The process is always killed on dispose.
/// </summary>
internal sealed class AwgProxyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _name;

    private AwgProxyProcess(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    /// <summary>The executable the test project's build copied next to the tests.</summary>
    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "awgproxy.dll");

    public int Id => _process.Id;

    public bool HasExited => _exited.Task.IsCompleted;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything written to standard output so far.</summary>
    public string Stdout
    {
        get
        {
            lock (_lock)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>Everything written to standard error so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_lock)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <c>awgproxy args</c>; <paramref name="netns"/> runs it inside that network namespace.</summary>
    public static AwgProxyProcess Start(string name, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? netns = null)
    {
        var start = new ProcessStartInfo(netns is null ? DotnetHost() : "ip")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot(),
        };
        if (netns is not null)
        {
            foreach (string part in new[] { "netns", "exec", netns, DotnetHost() })
            {
                start.ArgumentList.Add(part);
            }
        }

        start.ArgumentList.Add(DllPath);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("AWGPROXY_", StringComparison.OrdinalIgnoreCase) || k == "LOG_LEVEL").ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach ((string key, string? value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var result = new AwgProxyProcess(process, name);
        process.OutputDataReceived += (_, e) => result.Append(result._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => result.Append(result._stderr, e.Data);
        process.Exited += (_, _) => result._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return result;
    }

    /// <summary>The dotnet host running the tests.</summary>
    public static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>The repository root (where AwgProxy.slnx is), found from the test's directory.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AwgProxy.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Waits for a line of standard output matching <paramref name="pattern"/> and returns the match.</summary>
    public async Task<Match> WaitForLineAsync(string pattern, TimeSpan? timeout = null)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        long deadline = Environment.TickCount64 + (long)(timeout ?? Bounds.Step).TotalMilliseconds;
        while (true)
        {
            Match match = regex.Match(Stdout);
            if (match.Success)
            {
                return match;
            }

            if (HasExited)
            {
                // The last lines may still be in flight.
                await Task.Delay(200);
                match = regex.Match(Stdout);
                if (match.Success)
                {
                    return match;
                }

                throw new InvalidOperationException($"{_name} exited with code {ExitCode} before printing /{pattern}/.\n{Describe()}");
            }

            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"{_name} did not print /{pattern}/ in time.\n{Describe()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the output has <paramref name="count"/> matches of <paramref name="pattern"/>.</summary>
    public async Task WaitForCountAsync(string pattern, int count, TimeSpan? timeout = null)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        long deadline = Environment.TickCount64 + (long)(timeout ?? Bounds.Step).TotalMilliseconds;
        while (regex.Matches(Stdout).Count < count)
        {
            if (Environment.TickCount64 > deadline || HasExited)
            {
                throw new TimeoutException($"{_name} printed /{pattern}/ {regex.Matches(Stdout).Count} times, not {count}.\n{Describe()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash would.</summary>
    public async Task KillAsync()
    {
        if (!HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }

        await _exited.Task.WaitAsync(Bounds.Step);
    }

    /// <summary>Sends SIGINT (Ctrl+C) and waits for the exit code.</summary>
    public async Task<int> InterruptAsync()
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-s", "INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
        {
            await kill.WaitForExitAsync();
        }

        await _exited.Task.WaitAsync(Bounds.Step);
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>The process's output, for failure messages.</summary>
    public string Describe() => $"--- {_name} stdout ---\n{Tail(Stdout)}\n--- {_name} stderr ---\n{Tail(Stderr)}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (TimeoutException)
        {
        }

        _process.Dispose();
    }

    private static string Tail(string text) => text.Length <= 20_000 ? text : "..." + text[^20_000..];

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            target.Append(line).Append('\n');
        }
    }
}
