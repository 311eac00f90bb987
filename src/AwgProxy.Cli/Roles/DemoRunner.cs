using System.Diagnostics.Metrics;
using AwgProxy.Cli.Configuration;
using AwgProxy.Cli.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Cli.Roles;

/// <summary>
/// <c>awgproxy demo</c>: the server and the client of <see cref="DemoSetup"/>'s configs in this process, on
/// loopback. Prints, each on its own line, the proxy as <c>socks5h://USER:PASS@127.0.0.1:PORT</c> and the
/// metrics URL, then runs until Ctrl+C.
/// </summary>
internal sealed class DemoRunner(
    ILoggerFactory loggerFactory,
    IMeterFactory meterFactory,
    TimeProvider timeProvider,
    CliConsole console,
    IServiceProvider services) : IRoleRunner<DemoConfig>
{
    public async Task RunAsync(DemoConfig config, CancellationToken cancellationToken)
    {
        ServerRuntime server = await ServerRuntime.StartAsync(config.Server, loggerFactory, meterFactory, timeProvider, cancellationToken).ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            ClientRuntime client = await ClientRuntime.StartAsync(config.Client, loggerFactory, meterFactory, timeProvider, cancellationToken).ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                (string user, string password) = config.Client.Socks5Users.First();
                string proxy = $"socks5h://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@{ListenAddress.Format(client.Socks5EndPoint)}";
                TextWriter output = console.Out;
                await output.WriteLineAsync($"demo: server on udp {ListenAddress.Format(server.LocalEndPoint)}, client SOCKS5 on {ListenAddress.Format(client.Socks5EndPoint)}; configs with fresh keys in {config.Directory}").ConfigureAwait(false);
                await output.WriteLineAsync($"demo: this demo server may connect to loopback destinations ({string.Join(", ", config.Server.AllowedNetworks)}) so that a local web server can be tried; a real server refuses loopback and private destinations unless [Egress] AllowNetworks lists them").ConfigureAwait(false);
                await output.WriteLineAsync("demo: the proxy (user:password included):").ConfigureAwait(false);
                await output.WriteLineAsync(proxy).ConfigureAwait(false);
                if (services.GetService<MetricsEndpointService>()?.LocalEndPoint is { } metrics)
                {
                    await output.WriteLineAsync("demo: Prometheus metrics:").ConfigureAwait(false);
                    await output.WriteLineAsync($"http://{ListenAddress.Format(metrics)}/metrics").ConfigureAwait(false);
                }

                await output.WriteLineAsync($"demo: try: curl -x {proxy} http://127.0.0.1:8000/  (e.g. after 'python3 -m http.server 8000'); Ctrl+C stops the demo").ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                await RoleWait.UntilStoppedAsync(server.Completion, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
