using System.CommandLine;
using AwgProxy.Cli.Configuration;
using AwgProxy.Cli.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AwgProxy.Cli.Commands;

/// <summary>
/// <c>awgproxy client -c FILE</c> and <c>awgproxy server -c FILE</c>: read LOG_LEVEL, load and
/// validate the config (every problem printed, exit 1), then run the registered role runner in the
/// host (<see cref="RoleHost"/>) until Ctrl+C or SIGTERM.
/// </summary>
internal static class RoleCommands
{
    public static Command Client(CliConsole console, Action<IServiceCollection> registerRunners) =>
        Create<ResolvedClientConfig>("client", ProxyRole.Client, "Run the client: a local SOCKS5 proxy that tunnels to the server", console, registerRunners);

    public static Command Server(CliConsole console, Action<IServiceCollection> registerRunners) =>
        Create<ResolvedServerConfig>("server", ProxyRole.Server, "Run the server: accept authenticated clients and dial their destinations", console, registerRunners);

    private static Command Create<TConfig>(string name, ProxyRole role, string description, CliConsole console, Action<IServiceCollection> registerRunners)
        where TConfig : class, IResolvedConfig
    {
        var config = CommandSupport.ConfigOption();
        var command = new Command(name, description) { config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!CommandSupport.TryReadLogLevel(console, name, out var level))
            {
                return ExitCodes.Error;
            }

            using var result = ConfigLoader.Load(parse.GetRequiredValue(config), role, new ConfigLoadOptions { LogLevelOverride = level });
            if (!result.Succeeded)
            {
                CommandSupport.PrintProblems(console.Error, name, result);
                return ExitCodes.Error;
            }

            using var resolved = (TConfig)result.TakeConfig();
            return await RoleHost.RunAsync(resolved, [result], registerRunners, console, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
