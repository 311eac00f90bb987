using System.Globalization;
using System.Net;
using AwgProxy.Cli.Configuration;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Cli.Hosting;

/// <summary>
/// What <c>awgproxy demo</c> runs: a server and a client on loopback in one process, from the two
/// config files <see cref="DemoSetup"/> wrote (fresh keys, the example AWG profile). The runner
/// starts the server first, then the client, and stops both on cancellation.
/// </summary>
public sealed class DemoConfig : IResolvedConfig
{
    /// <summary>Takes ownership of both configs.</summary>
    public DemoConfig(string directory, ResolvedServerConfig server, ResolvedClientConfig client, LogLevel logLevel, IPEndPoint? metricsListen)
    {
        Directory = directory;
        Server = server;
        Client = client;
        LogLevel = logLevel;
        MetricsListen = metricsListen;
    }

    /// <inheritdoc/>
    public string RoleName => "demo";

    /// <summary>The directory holding <c>server.ini</c> and <c>client.ini</c>.</summary>
    public string Directory { get; }

    /// <inheritdoc/>
    public string SourcePath => Directory;

    /// <summary>The server side (listens on 127.0.0.1).</summary>
    public ResolvedServerConfig Server { get; }

    /// <summary>The client side (its SOCKS5 port is the demo's entry point).</summary>
    public ResolvedClientConfig Client { get; }

    /// <inheritdoc/>
    public LogLevel LogLevel { get; }

    /// <inheritdoc/>
    public IPEndPoint? MetricsListen { get; }

    /// <inheritdoc/>
    public string Summary => string.Create(
        CultureInfo.InvariantCulture,
        $"config: role=demo dir={Directory} server={ListenAddress.Format(Server.Listen)} socks5={ListenAddress.Format(Client.Socks5Listen)} " +
        $"awg={ConfigSummary.Awg(Client.Awg)} metrics={(MetricsListen is null ? "off" : ListenAddress.Format(MetricsListen))}");

    /// <inheritdoc/>
    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
