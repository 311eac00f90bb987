using AwgProxy.Cli.Configuration;

namespace AwgProxy.Cli.Hosting;

/// <summary>
/// What runs a role inside the CLI host: the integrator implements it for the client
/// (<see cref="ResolvedClientConfig"/>), the server (<see cref="ResolvedServerConfig"/>) and the demo
/// (<see cref="DemoConfig"/>) and registers it in <see cref="RoleRunnerRegistrations.Add"/>.
/// <para>
/// By the time <see cref="RunAsync"/> is called the host has validated the config, logged the
/// summary, set up console logging at the configured level and started the Prometheus endpoint
/// (which exports every meter named <c>AwgProxy.*</c>, see docs/metrics.md). The runner is created
/// by dependency injection, so its constructor can take <c>ILogger&lt;T&gt;</c>,
/// <c>ILoggerFactory</c>, <c>IMeterFactory</c>, <c>TimeProvider</c>, <c>IHostApplicationLifetime</c>.
/// </para>
/// </summary>
/// <typeparam name="TConfig">The resolved config of the role.</typeparam>
public interface IRoleRunner<in TConfig>
    where TConfig : IResolvedConfig
{
    /// <summary>
    /// Runs the role until <paramref name="cancellationToken"/> is cancelled (Ctrl+C, SIGTERM) and
    /// then shuts it down gracefully. Returning ends the process with exit code 0; throwing logs the
    /// error and ends it with exit code 1 (throw <see cref="CliException"/> for a failure whose
    /// message is the whole story, e.g. "cannot bind 127.0.0.1:1080: address in use").
    /// The config (and its private key) belongs to the host, which disposes it after this returns.
    /// </summary>
    Task RunAsync(TConfig config, CancellationToken cancellationToken);
}
