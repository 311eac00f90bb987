using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using AwgProxy.Cli.Commands;
using AwgProxy.Cli.Configuration;
using AwgProxy.Cli.Hosting;
using AwgProxy.Cli.Tests.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AwgProxy.Cli.Tests.Hosting;

/// <summary>The role commands in process, with test runners registered the way the integrator will.</summary>
public class RoleHostTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Client_RunsTheRunnerWithTheResolvedConfig_ServesItsMetrics_AndStopsOnCancel()
    {
        using var temp = new TempDirectory();
        var port = FreeTcpPort();
        var path = temp.File("client.ini", ConfigTexts.Client($"[Metrics]\nListen = 127.0.0.1:{port}\n"));
        var probe = new RunnerProbe();
        var console = new TestConsole();
        using var stop = new CancellationTokenSource();

        var run = AwgProxyCommandLine.RunAsync(["client", "-c", path], console.Console, Register<ResolvedClientConfig>(probe), stop.Token);
        await probe.Started.Task.WaitAsync(s_bound);
        using var http = new HttpClient { Timeout = s_bound };
        var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        await stop.CancelAsync();
        var exitCode = await run.WaitAsync(s_bound);

        Assert.Equal(0, exitCode);
        Assert.Equal(new HostPort("vpn.example.org", 51820), Assert.IsType<ResolvedClientConfig>(probe.Config).Server);
        Assert.Contains("\nawgproxy_runner_ticks_total{runner=\"" + probe.Id + "\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.True(probe.Cancelled);
        Assert.Equal(string.Empty, console.Error.ToString());
    }

    [Fact]
    public async Task Server_RunnerThatReturns_EndsWithExitCodeZero()
    {
        using var temp = new TempDirectory();
        var path = temp.File("server.ini", ConfigTexts.Server());
        ResolvedServerConfig? seen = null;
        var runner = new DelegateRunner<ResolvedServerConfig>((config, _) =>
        {
            seen = config;
            return Task.CompletedTask;
        });

        var exitCode = await AwgProxyCommandLine.RunAsync(["server", "-c", path], new TestConsole().Console, s => s.AddSingleton<IRoleRunner<ResolvedServerConfig>>(runner)).WaitAsync(s_bound);

        Assert.Equal(0, exitCode);
        Assert.Equal("laptop", Assert.Single(seen!.Clients).Name);
    }

    [Fact]
    public async Task RunnerFailure_EndsWithExitCodeOne()
    {
        using var temp = new TempDirectory();
        var path = temp.File("server.ini", ConfigTexts.Server());
        var runner = new DelegateRunner<ResolvedServerConfig>((_, _) => throw new CliException("cannot bind 0.0.0.0:51820: in use"));

        var exitCode = await AwgProxyCommandLine.RunAsync(["server", "-c", path], new TestConsole().Console, s => s.AddSingleton<IRoleRunner<ResolvedServerConfig>>(runner)).WaitAsync(s_bound);

        Assert.Equal(1, exitCode);
    }

    [Fact]
    public async Task MetricsAddressInUse_ExitsOneWithAClearMessage()
    {
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port;
        using var temp = new TempDirectory();
        var path = temp.File("client.ini", ConfigTexts.Client($"[Metrics]\nListen = 127.0.0.1:{port}\n"));
        var probe = new RunnerProbe();
        var console = new TestConsole();

        var exitCode = await AwgProxyCommandLine.RunAsync(["client", "-c", path], console.Console, Register<ResolvedClientConfig>(probe)).WaitAsync(s_bound);

        Assert.Equal(1, exitCode);
        Assert.Equal($"awgproxy client: metrics: cannot listen on 127.0.0.1:{port}: the address is already in use\n", console.Error.ToString());
        Assert.False(probe.Started.Task.IsCompleted);
    }

    [Fact]
    public async Task InvalidConfig_NeverReachesTheRunner()
    {
        using var temp = new TempDirectory();
        var path = temp.File("client.ini", ConfigTexts.Client("[Awg]\nJc = -1\n"));
        var probe = new RunnerProbe();
        var console = new TestConsole();

        var exitCode = await AwgProxyCommandLine.RunAsync(["client", "-c", path], console.Console, Register<ResolvedClientConfig>(probe)).WaitAsync(s_bound);

        Assert.Equal(1, exitCode);
        Assert.Equal($"awgproxy client: {path}:6: [Awg] Jc = -1: must not be negative\n", console.Error.ToString());
        Assert.False(probe.Started.Task.IsCompleted);
    }

    [Fact]
    public async Task Demo_WritesValidConfigsAndRunsBothSides()
    {
        using var temp = new TempDirectory();
        var dir = Path.Combine(temp.Path, "demo");
        DemoConfig? seen = null;
        var runner = new DelegateRunner<DemoConfig>((config, _) =>
        {
            seen = config;
            return Task.CompletedTask;
        });
        var console = new TestConsole();

        var exitCode = await AwgProxyCommandLine.RunAsync(["demo", "--dir", dir, "--socks5", "127.0.0.1:0"], console.Console, s => s.AddSingleton<IRoleRunner<DemoConfig>>(runner)).WaitAsync(s_bound);

        Assert.Equal(0, exitCode);
        Assert.Equal(seen!.Server.PublicKey, seen.Client.ServerPublicKey);
        Assert.Equal(seen.Client.PublicKey, Assert.Single(seen.Server.Clients).PublicKey);
        Assert.Equal(seen.Server.Listen.Port, seen.Client.Server.Port);
        Assert.StartsWith($"demo: wrote server.ini and client.ini with fresh keys to {dir}; starting", console.Out.ToString(), StringComparison.Ordinal);
        Assert.Equal(DemoSetup.UserName, Assert.Single(seen.Client.Socks5Users).Key);
        Assert.True(File.Exists(Path.Combine(dir, "client.ini")));
    }

    private static Action<IServiceCollection> Register<TConfig>(RunnerProbe probe)
        where TConfig : IResolvedConfig =>
        services => services.AddSingleton(probe).AddSingleton<IRoleRunner<TConfig>, WaitingRunner<TConfig>>();

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>What a <see cref="WaitingRunner{TConfig}"/> reports to the test.</summary>
    private sealed class RunnerProbe
    {
        public string Id { get; } = Guid.NewGuid().ToString("N");

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public object? Config { get; set; }

        public bool Cancelled { get; set; }
    }

    /// <summary>
    /// A runner built by the host's dependency injection, as the integrator's will be: it creates its
    /// meter through <see cref="IMeterFactory"/>, counts once, and waits for cancellation.
    /// </summary>
    private sealed class WaitingRunner<TConfig>(RunnerProbe probe, IMeterFactory meters) : IRoleRunner<TConfig>
        where TConfig : IResolvedConfig
    {
        public async Task RunAsync(TConfig config, CancellationToken cancellationToken)
        {
            probe.Config = config;
            var meter = meters.Create("AwgProxy.Test.Runner");
            meter.CreateCounter<long>("awgproxy.runner.ticks").Add(1, new KeyValuePair<string, object?>("runner", probe.Id));
            probe.Started.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                probe.Cancelled = true;
                throw;
            }
        }
    }

    private sealed class DelegateRunner<TConfig>(Func<TConfig, CancellationToken, Task> run) : IRoleRunner<TConfig>
        where TConfig : IResolvedConfig
    {
        public Task RunAsync(TConfig config, CancellationToken cancellationToken) => run(config, cancellationToken);
    }
}
