using System.Net;
using System.Net.Sockets;
using AwgProxy.Cli.Configuration;
using AwgProxy.Cli.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Cli.Hosting;

/// <summary>
/// Serves the Prometheus endpoint for the lifetime of the host. Started before the role runner, so
/// the exporter sees the role's instruments as they are created.
/// </summary>
internal sealed class MetricsEndpointService(
    IPEndPoint endPoint,
    PrometheusExporter exporter,
    ILogger<MetricsEndpointService> logger) : IHostedService
{
    private MetricsHttpServer? _server;

    /// <summary>The bound address (port 0 resolved) once started; null before.</summary>
    public IPEndPoint? LocalEndPoint => _server?.LocalEndPoint;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _server = MetricsHttpServer.Start(endPoint, exporter, logger: logger);
        }
        catch (SocketException e)
        {
            throw new CliException($"metrics: cannot listen on {ListenAddress.Format(endPoint)}: {Describe(e.SocketErrorCode)}", e);
        }

        CliLog.MetricsListening(logger, ListenAddress.Format(_server.LocalEndPoint));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
            _server = null;
        }
    }

    internal static string Describe(SocketError error) => error switch
    {
        SocketError.AddressAlreadyInUse => "the address is already in use",
        SocketError.AddressNotAvailable => "the address is not one of this machine's",
        SocketError.AccessDenied => "permission denied",
        _ => error.ToString(),
    };
}
