using AwgProxy.Cli.Configuration;
using AwgProxy.Cli.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace AwgProxy.Cli.Hosting;

/// <summary>
/// The generic host around a role: single-line console logging at the configured level, the
/// <see cref="IMeterFactory"/>, the Prometheus endpoint when <c>[Metrics] Listen</c> is set, the
/// resolved config as a singleton, and the registered <see cref="IRoleRunner{TConfig}"/>.
/// Ctrl+C and SIGTERM stop it gracefully (the host's console lifetime).
/// </summary>
internal static class RoleHost
{
    /// <summary>Log timestamps: UTC, ISO 8601 with milliseconds.</summary>
    public const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";

    /// <summary>True when <paramref name="registerRunners"/> registers a runner for <typeparamref name="TConfig"/>.</summary>
    public static bool IsAvailable<TConfig>(Action<IServiceCollection> registerRunners)
        where TConfig : IResolvedConfig
    {
        var services = new ServiceCollection();
        registerRunners(services);
        return services.Any(d => d.ServiceType == typeof(IRoleRunner<TConfig>));
    }

    /// <summary>Adds the console logger the way every command that logs uses it.</summary>
    public static void AddConsoleLogging(ILoggingBuilder logging, LogLevel level)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(level);
        logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.IncludeScopes = false;
            options.TimestampFormat = TimestampFormat;
            options.UseUtcTimestamp = true;
        });
    }

    /// <summary>
    /// Logs where the config came from, its summary and its warnings, then runs the role until it ends or the process is
    /// told to stop. Returns the exit code.
    /// </summary>
    public static async Task<int> RunAsync<TConfig>(
        TConfig config,
        IReadOnlyList<ConfigLoadResult> sources,
        Action<IServiceCollection> registerRunners,
        CliConsole console,
        CancellationToken cancellationToken)
        where TConfig : class, IResolvedConfig
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "awgproxy",
            DisableDefaults = true,
        });
        AddConsoleLogging(builder.Logging, config.LogLevel);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(console);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton<RoleOutcome>();
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        if (config.MetricsListen is { } metrics)
        {
            builder.Services.AddSingleton(sp => new PrometheusExporter(timeProvider: sp.GetRequiredService<TimeProvider>()));
            builder.Services.AddSingleton(sp => new MetricsEndpointService(
                metrics,
                sp.GetRequiredService<PrometheusExporter>(),
                sp.GetRequiredService<ILogger<MetricsEndpointService>>()));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<MetricsEndpointService>());
        }

        registerRunners(builder.Services);
        var available = builder.Services.Any(d => d.ServiceType == typeof(IRoleRunner<TConfig>));
        if (available)
        {
            builder.Services.AddHostedService<RoleService<TConfig>>();
        }

        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AwgProxy.Cli");
        foreach (var source in sources)
        {
            CliLog.ConfigLoaded(logger, source.Path, source.Format.ToString().ToUpperInvariant());
        }

        CliLog.ConfigSummary(logger, config.Summary);
        foreach (var warning in sources.SelectMany(s => s.Warnings))
        {
            CliLog.ConfigWarning(logger, warning);
        }

        if (!available)
        {
            await console.Error.WriteLineAsync(NotAvailableMessage(config.RoleName)).ConfigureAwait(false);
            return ExitCodes.NotAvailable;
        }

        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            await console.Error.WriteLineAsync($"awgproxy {config.RoleName}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Error;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }

        await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return host.Services.GetRequiredService<RoleOutcome>().ExitCode;
    }

    /// <summary>What a command says when its role is not registered.</summary>
    public static string NotAvailableMessage(string role) =>
        $"awgproxy {role}: the {role} role is not available in this build (its runtime is not wired into the CLI yet); the config is valid";
}
