using System.CommandLine;
using System.CommandLine.Invocation;
using AwgProxy.Cli.Configuration;
using AwgProxy.Cli.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Cli.Commands;

/// <summary>
/// The <c>awgproxy</c> command line (System.CommandLine 2.0): <c>client</c>, <c>server</c>,
/// <c>check</c>, <c>genkey</c>, <c>pubkey</c>, <c>demo</c>, <c>--help</c>, <c>--version</c>. A bad
/// command line prints its errors on standard error, one line each, and a pointer to --help (exit 1).
/// Ctrl+C and SIGTERM are left to the generic host of the running role.
/// </summary>
public static class AwgProxyCommandLine
{
    /// <summary>Builds the root command.</summary>
    public static RootCommand Create(CliConsole console, Action<IServiceCollection> registerRunners)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(registerRunners);
        return new RootCommand("AwgProxy: a SOCKS5 proxy tunnelled over QUIC inside AmneziaWG obfuscation")
        {
            RoleCommands.Client(console, registerRunners),
            RoleCommands.Server(console, registerRunners),
            CheckCommand.Create(console),
            GenKeyCommand.Create(console),
            PubKeyCommand.Create(console),
            DemoCommand.Create(console, registerRunners),
        };
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code (docs/cli.md).</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, Action<IServiceCollection> registerRunners, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = Create(console, registerRunners);
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync($"awgproxy: {error.Message}").ConfigureAwait(false);
            }

            var command = parse.CommandResult.Command == root ? "awgproxy" : $"awgproxy {parse.CommandResult.Command.Name}";
            await console.Error.WriteLineAsync($"Run '{command} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Error;
        }

        var invocation = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The last line of defence: one line on stderr instead of a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var verbose = LogLevelText.TryParse(console.GetEnvironmentVariable(LogLevelText.EnvironmentVariable), out var level) && level <= LogLevel.Debug;
            await console.Error.WriteLineAsync(verbose ? $"awgproxy: unexpected error: {e}" : $"awgproxy: unexpected error: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Error;
        }
    }
}
