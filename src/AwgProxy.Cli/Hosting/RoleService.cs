using AwgProxy.Cli.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Cli.Hosting;

/// <summary>Runs the registered <see cref="IRoleRunner{TConfig}"/> and stops the host when it ends.</summary>
internal sealed class RoleService<TConfig>(
    TConfig config,
    IRoleRunner<TConfig> runner,
    RoleOutcome outcome,
    IHostApplicationLifetime lifetime,
    ILogger<RoleService<TConfig>> logger) : BackgroundService
    where TConfig : IResolvedConfig
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        CliLog.RoleStarted(logger, config.RoleName);
        try
        {
            await runner.RunAsync(config, stoppingToken).ConfigureAwait(false);
            CliLog.RoleStopped(logger, config.RoleName);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            CliLog.RoleStopped(logger, config.RoleName);
        }
        catch (CliException e)
        {
            CliLog.RoleFailed(logger, config.RoleName, e.Message);
            outcome.ExitCode = ExitCodes.Error;
        }
#pragma warning disable CA1031 // The role's failure of any kind ends the process with a logged error and exit code 1.
        catch (Exception e)
#pragma warning restore CA1031
        {
            CliLog.RoleCrashed(logger, config.RoleName, e);
            outcome.ExitCode = ExitCodes.Error;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}

/// <summary>The exit code the role leaves behind.</summary>
internal sealed class RoleOutcome
{
    public int ExitCode { get; set; } = ExitCodes.Success;
}
