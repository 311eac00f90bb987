using System.Diagnostics.Metrics;
using AwgProxy.Cli.Configuration;
using AwgProxy.Cli.Hosting;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Cli.Roles;

/// <summary><c>awgproxy server</c>: runs a <see cref="ServerRuntime"/> until Ctrl+C or SIGTERM.</summary>
internal sealed class ServerRunner(ILoggerFactory loggerFactory, IMeterFactory meterFactory, TimeProvider timeProvider) : IRoleRunner<ResolvedServerConfig>
{
    public async Task RunAsync(ResolvedServerConfig config, CancellationToken cancellationToken)
    {
        ServerRuntime server = await ServerRuntime.StartAsync(config, loggerFactory, meterFactory, timeProvider, cancellationToken).ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            await RoleWait.UntilStoppedAsync(server.Completion, cancellationToken).ConfigureAwait(false);
        }
    }
}
