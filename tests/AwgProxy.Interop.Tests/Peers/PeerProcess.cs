using System.Diagnostics;
using System.Text;

namespace AwgProxy.Interop.Tests.Peers;

/// <summary>
/// A peer process started by a test: output captured (stdout and stderr interleaved, for failure messages), waited
/// for with a bound, and always killed with its children on dispose if it is still running.
/// </summary>
internal sealed class PeerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PeerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Raised with each output line (under no lock the caller holds).</summary>
    public event Action<string>? LineReceived;

    public static PeerProcess Start(string name, string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        if (environment is not null)
        {
            foreach ((string key, string value) in environment) info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var peer = new PeerProcess(name, process);
        process.OutputDataReceived += (_, e) => peer.OnLine(e.Data, peer._stdoutClosed);
        process.ErrorDataReceived += (_, e) => peer.OnLine(e.Data, peer._stderrClosed);
        if (!process.Start()) throw new InvalidOperationException($"{name} did not start.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>Waits for the process to exit and its output to be read; kills it and fails the test after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (OperationCanceledException)
        {
            Kill();
            Assert.Fail($"{Name} did not finish within {timeout.TotalSeconds:0} s (killed):\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Waits until a line satisfies <paramref name="match"/>; fails the test on timeout or exit first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(string line)
        {
            if (match(line)) found.TrySetResult(line);
        }

        LineReceived += Check;
        try
        {
            foreach (string line in Output.Split('\n')) Check(line.TrimEnd('\r'));
            Task exited = _process.WaitForExitAsync();
            Task first = await Task.WhenAny(found.Task, exited, Task.Delay(timeout));
            if (first == found.Task) return await found.Task;
            Assert.Fail(first == exited
                ? $"{Name} exited ({_process.ExitCode}) before printing the expected line:\n{Output}"
                : $"{Name} did not print the expected line within {timeout.TotalSeconds:0} s:\n{Output}");
            return "";
        }
        finally
        {
            LineReceived -= Check;
        }
    }

    /// <summary>Asks the process to stop (SIGTERM-like close of stdin is not enough for every peer): kills it.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited in between.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // Killed but not reaped in time; nothing more to do.
        }

        _process.Dispose();
    }

    private void OnLine(string? line, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        lock (_output)
        {
            _output.Append(line).Append('\n');
        }

        LineReceived?.Invoke(line);
    }
}
