using AwgProxy.Cli.Commands;
using AwgProxy.Cli.Hosting;

return await AwgProxyCommandLine.RunAsync(args, CliConsole.System, RoleRunnerRegistrations.Add).ConfigureAwait(false);
