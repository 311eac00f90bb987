using System.Diagnostics.Metrics;
using System.Net;
using AwgProxy.AmneziaWG;
using AwgProxy.Quic.Transport.Paths;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Obfuscation.Tests.Support;

/// <summary>A client envelope and a server envelope over one in-memory network, plus raw paths on the same network.</summary>
public sealed class EnvelopePair : IAsyncDisposable
{
    private EnvelopePair(InMemoryDatagramNetwork network, AwgEnvelopePath client, AwgEnvelopePath server)
    {
        Network = network;
        Client = client;
        Server = server;
    }

    public InMemoryDatagramNetwork Network { get; }

    public AwgEnvelopePath Client { get; }

    public AwgEnvelopePath Server { get; }

    public EndPoint ClientEndPoint => Client.LocalEndPoint;

    public EndPoint ServerEndPoint => Server.LocalEndPoint;

    public static EnvelopePair Create(
        AwgProfile profile,
        TimeProvider? time = null,
        ILoggerFactory? serverLogs = null,
        IMeterFactory? serverMeters = null,
        IMeterFactory? clientMeters = null)
    {
        var network = new InMemoryDatagramNetwork();
        time ??= TimeProvider.System;
        var client = new AwgEnvelopePath(network.CreatePath(), AwgEnvelopeRole.Client, profile, SystemRandomSource.Instance, time, meterFactory: clientMeters);
        var server = new AwgEnvelopePath(network.CreatePath(), AwgEnvelopeRole.Server, profile, SystemRandomSource.Instance, time, serverLogs, serverMeters);
        return new EnvelopePair(network, client, server);
    }

    /// <summary>A path on the same network without an envelope: a prober, or a plain QUIC peer.</summary>
    public InMemoryDatagramPath CreateRawPath() => Network.CreatePath();

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
