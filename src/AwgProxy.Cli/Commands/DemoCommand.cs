using System.CommandLine;
using System.Net;
using AwgProxy.Cli.Configuration;
using AwgProxy.Cli.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AwgProxy.Cli.Commands;

/// <summary>
/// <c>awgproxy demo [--dir DIR] [--socks5 ADDR] [--metrics ADDR]</c>: writes a server and a client
/// config with fresh keys (<see cref="DemoSetup"/>; by default into a new directory under the
/// temporary directory, e.g. /tmp/awgproxy-demo-1a2b3c4d), validates them like <c>check</c> does, and
/// runs both in this process until Ctrl+C. Everything listens on loopback: the SOCKS5 port and the
/// metrics endpoint default to free ports on 127.0.0.1 and must be loopback addresses. Nothing is
/// written when the demo runner is not in the build.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The default of --socks5 and --metrics: a free port on 127.0.0.1.</summary>
    private const string DemoListen = "127.0.0.1:0";

    public static Command Create(CliConsole console, Action<IServiceCollection> registerRunners)
    {
        var directory = new Option<string?>("--dir")
        {
            Description = "Where to write server.ini and client.ini (default: a new directory under the temporary directory)",
            HelpName = "DIR",
        };
        var socks5 = new Option<string>("--socks5")
        {
            Description = "The demo's SOCKS5 address (a loopback address; default: a free port on 127.0.0.1)",
            HelpName = "ADDR",
            DefaultValueFactory = _ => DemoListen,
        };
        var metrics = new Option<string>("--metrics")
        {
            Description = "Serve Prometheus metrics here (a loopback address; default: a free port on 127.0.0.1)",
            HelpName = "ADDR",
            DefaultValueFactory = _ => DemoListen,
        };
        var command = new Command("demo", "Run a server and a client on this machine with fresh keys: a SOCKS5 proxy to try") { directory, socks5, metrics };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!CommandSupport.TryReadLogLevel(console, "demo", out var level))
            {
                return ExitCodes.Error;
            }

            if (!ListenAddress.TryParse(parse.GetValue(socks5), out var socksListen, out var socksError))
            {
                await console.Error.WriteLineAsync($"awgproxy demo: --socks5 '{parse.GetValue(socks5)}': {socksError}").ConfigureAwait(false);
                return ExitCodes.Error;
            }

            var metricsText = parse.GetValue(metrics);
            if (!ListenAddress.TryParse(metricsText, out var metricsListen, out var metricsError))
            {
                await console.Error.WriteLineAsync($"awgproxy demo: --metrics '{metricsText}': {metricsError}").ConfigureAwait(false);
                return ExitCodes.Error;
            }

            foreach (var (name, endPoint) in new[] { ("--socks5", socksListen), ("--metrics", metricsListen) })
            {
                if (!IPAddress.IsLoopback(endPoint.Address))
                {
                    await console.Error.WriteLineAsync($"awgproxy demo: {name} {ListenAddress.Format(endPoint)}: the demo listens on loopback addresses only (its server may reach this machine's own services)").ConfigureAwait(false);
                    return ExitCodes.Error;
                }
            }

            if (!RoleHost.IsAvailable<DemoConfig>(registerRunners))
            {
                await console.Error.WriteLineAsync("awgproxy demo: the demo is not available in this build (the client and server runtimes are not wired into the CLI yet)").ConfigureAwait(false);
                return ExitCodes.NotAvailable;
            }

            DemoSetup.DemoFiles files;
            var target = parse.GetValue(directory) ?? DemoSetup.DefaultDirectory();
            try
            {
                files = DemoSetup.Write(target, socksListen);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await console.Error.WriteLineAsync($"awgproxy demo: cannot write the demo configs in {target}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Error;
            }

            var options = new ConfigLoadOptions { IncludeEnvironment = false, LogLevelOverride = level };
            using var server = ConfigLoader.Load(files.ServerConfigPath, ProxyRole.Server, options);
            using var client = ConfigLoader.Load(files.ClientConfigPath, ProxyRole.Client, options);
            foreach (var failed in new[] { server, client }.Where(r => !r.Succeeded))
            {
                CommandSupport.PrintProblems(console.Error, "demo", failed);
                return ExitCodes.Error;
            }

            using var demo = new DemoConfig(
                files.Directory,
                (ResolvedServerConfig)server.TakeConfig(),
                (ResolvedClientConfig)client.TakeConfig(),
                level ?? Microsoft.Extensions.Logging.LogLevel.Information,
                metricsListen);
            await console.Out.WriteLineAsync($"demo: wrote server.ini and client.ini with fresh keys to {files.Directory}; starting").ConfigureAwait(false);
            return await RoleHost.RunAsync(demo, [server, client], registerRunners, console, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
