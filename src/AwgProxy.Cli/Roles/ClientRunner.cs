using System.Diagnostics.Metrics;
using AwgProxy.Cli.Configuration;
using AwgProxy.Cli.Hosting;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Cli.Roles;

/// <summary><c>awgproxy client</c>: runs a <see cref="ClientRuntime"/> until Ctrl+C or SIGTERM.</summary>
internal sealed class ClientRunner(ILoggerFactory loggerFactory, IMeterFactory meterFactory, TimeProvider timeProvider) : IRoleRunner<ResolvedClientConfig>
{
    public async Task RunAsync(ResolvedClientConfig config, CancellationToken cancellationToken)
    {
        ClientRuntime client = await ClientRuntime.StartAsync(config, loggerFactory, meterFactory, timeProvider, cancellationToken).ConfigureAwait(false);
        await using (client.ConfigureAwait(false))
        {
            await RoleWait.UntilStoppedAsync(null, cancellationToken).ConfigureAwait(false);
        }
    }
}
