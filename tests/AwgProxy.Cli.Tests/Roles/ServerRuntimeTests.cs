using System.Net;
using AwgProxy.Cli.Configuration;
using AwgProxy.Cli.Roles;
using AwgProxy.Cli.Tests.Configuration;
using AwgProxy.Tunnel.Server;

namespace AwgProxy.Cli.Tests.Roles;

public class ServerRuntimeTests
{
    [Fact]
    public void CreateTunnelOptions_MapsLimitsTimeoutsAndEgress()
    {
        using var temp = new TempDirectory();
        var path = temp.File("s.ini", ConfigTexts.Server("""
            [Limits]
            MaxConnections = 50
            MaxConnectionsPerClient = 3
            MaxStreamsPerConnection = 40
            [Timeouts]
            HandshakeSeconds = 7
            IdleSeconds = 90
            UpstreamConnectSeconds = 4
            [Egress]
            AllowNetworks = 10.1.0.0/16, fd00::/8
            """));
        using var result = ConfigLoader.Load(path, ProxyRole.Server, new ConfigLoadOptions { IncludeEnvironment = false });

        TunnelServerOptions options = ServerRuntime.CreateTunnelOptions((ResolvedServerConfig)result.Config!);

        Assert.Equal((50, 3, 40, 120), (options.MaxClients, options.MaxConnectionsPerClient, options.MaxStreamsPerConnection, options.MaxStreamsPerClient));
        Assert.Equal((TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(4)), (options.HandshakeTimeout, options.ConnectionIdleTimeout, options.ConnectTimeout));
        Assert.Equal(["10.1.0.0/16", "fd00::/8"], options.Egress.AllowedNetworks);
        Assert.False(options.Egress.AllowLoopback);
        Assert.True(new TunnelServerOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(EgressVerdict.Loopback, new EgressPolicy(options.Egress).Evaluate(IPAddress.Loopback));
    }

    [Fact]
    public void CreateTunnelOptions_StreamsPerClientNeverOverflows()
    {
        using var temp = new TempDirectory();
        var path = temp.File("s.ini", ConfigTexts.Server("[Limits]\nMaxConnections = 1000000\nMaxConnectionsPerClient = 1000000\nMaxStreamsPerConnection = 1000000\n"));
        using var result = ConfigLoader.Load(path, ProxyRole.Server, new ConfigLoadOptions { IncludeEnvironment = false });

        Assert.Equal(int.MaxValue, ServerRuntime.CreateTunnelOptions((ResolvedServerConfig)result.Config!).MaxStreamsPerClient);
    }
}
