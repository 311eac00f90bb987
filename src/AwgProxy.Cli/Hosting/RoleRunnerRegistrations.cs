using AwgProxy.Cli.Configuration;
using AwgProxy.Cli.Roles;
using Microsoft.Extensions.DependencyInjection;

namespace AwgProxy.Cli.Hosting;

/// <summary>
/// Where the integrator wires the roles in: one line per role, e.g.
/// <code>
/// services.AddSingleton&lt;IRoleRunner&lt;ResolvedClientConfig&gt;, ClientRunner&gt;();
/// services.AddSingleton&lt;IRoleRunner&lt;ResolvedServerConfig&gt;, ServerRunner&gt;();
/// services.AddSingleton&lt;IRoleRunner&lt;DemoConfig&gt;, DemoRunner&gt;();
/// </code>
/// Until a role is registered its command validates its config and then exits with
/// <see cref="ExitCodes.NotAvailable"/> and a message saying the role is not in this build.
/// </summary>
internal static class RoleRunnerRegistrations
{
    /// <summary>Registers the role runners this build has: client, server and demo.</summary>
    public static void Add(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IRoleRunner<ResolvedClientConfig>, ClientRunner>();
        services.AddSingleton<IRoleRunner<ResolvedServerConfig>, ServerRunner>();
        services.AddSingleton<IRoleRunner<DemoConfig>, DemoRunner>();
    }
}
