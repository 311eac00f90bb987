using AwgProxy.Tunnel.Client;
using AwgProxy.Tunnel.Server;
using Microsoft.Extensions.Configuration;

namespace AwgProxy.Tunnel.Tests.Server;

public class TunnelOptionsBindingTests
{
    [Fact]
    public void ServerOptions_BindFromConfigurationKeys()
    {
        IConfiguration config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectTimeout"] = "00:00:05",
                ["IdleTimeout"] = "00:01:00",
                ["MaxStreamsPerClient"] = "64",
                ["Egress:AllowLoopback"] = "true",
                ["Egress:AllowedNetworks:0"] = "10.0.0.0/8",
                ["Egress:AllowedNetworks:1"] = "fd00::/8",
                ["Egress:DeniedNetworks:0"] = "203.0.113.7",
                ["Egress:DeniedPorts:0"] = "25",
            })
            .Build();
        var options = new TunnelServerOptions();

        config.Bind(options);

        Assert.Equal(TimeSpan.FromSeconds(5), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMinutes(1), options.IdleTimeout);
        Assert.Equal(64, options.MaxStreamsPerClient);
        Assert.True(options.Egress.AllowLoopback);
        Assert.Equal(["10.0.0.0/8", "fd00::/8"], options.Egress.AllowedNetworks);
        Assert.Equal(["203.0.113.7"], options.Egress.DeniedNetworks);
        Assert.Equal([25], options.Egress.DeniedPorts);
        Assert.True(new TunnelServerOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void ClientOptions_BindFromConfigurationKeys()
    {
        IConfiguration config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ReconnectMinDelay"] = "00:00:00.5",
                ["ReconnectMaxDelay"] = "00:01:00",
                ["ReconnectJitter"] = "0.3",
                ["RequestWaitTimeout"] = "00:00:20",
            })
            .Build();
        var options = new TunnelClientOptions();

        config.Bind(options);

        Assert.Equal(TimeSpan.FromMilliseconds(500), options.ReconnectMinDelay);
        Assert.Equal(TimeSpan.FromMinutes(1), options.ReconnectMaxDelay);
        Assert.Equal(0.3, options.ReconnectJitter);
        Assert.Equal(TimeSpan.FromSeconds(20), options.RequestWaitTimeout);
        Assert.True(new TunnelClientOptionsValidator().Validate(null, options).Succeeded);
    }
}
