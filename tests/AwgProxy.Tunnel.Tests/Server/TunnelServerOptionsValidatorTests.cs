using AwgProxy.Tunnel.Server;
using Microsoft.Extensions.Options;

namespace AwgProxy.Tunnel.Tests.Server;

public class TunnelServerOptionsValidatorTests
{
    private static ValidateOptionsResult Validate(TunnelServerOptions options) =>
        new TunnelServerOptionsValidator().Validate(null, options);

    [Fact]
    public void Defaults_AreValidAndAsDocumented()
    {
        var options = new TunnelServerOptions();

        Assert.True(Validate(options).Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RequestTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), options.IdleTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.ConnectionAttemptDelay);
        Assert.Equal(1024, options.MaxStreamsPerClient);
        Assert.False(options.Egress.AllowLoopback);
        Assert.Empty(options.Egress.AllowedNetworks);
    }

    [Fact]
    public void EveryProblem_IsReportedInOnePassWithKeyAndValue()
    {
        var options = new TunnelServerOptions
        {
            RequestTimeout = TimeSpan.Zero,
            ConnectTimeout = TimeSpan.FromSeconds(-1),
            IdleTimeout = TimeSpan.Zero,
            MaxStreamsPerClient = 0,
            RelayBufferSize = 10,
            MaxClients = -3,
            HandshakeTimeout = TimeSpan.Zero,
            Egress = new EgressPolicyOptions
            {
                AllowedNetworks = ["10.0.0.0/8", "10.0.0.1/8", "bogus"],
                DeniedNetworks = ["300.1.1.1"],
                DeniedPorts = [25, 0, 70000],
            },
        };

        ValidateOptionsResult result = Validate(options);

        Assert.True(result.Failed);
        string[] failures = [.. result.Failures!];
        Assert.Contains("RequestTimeout = '00:00:00': must be greater than zero.", failures);
        Assert.Contains("ConnectTimeout = '-00:00:01': must be greater than zero.", failures);
        Assert.Contains(failures, f => f.StartsWith("IdleTimeout = '00:00:00'", StringComparison.Ordinal));
        Assert.Contains("MaxStreamsPerClient = '0': must be between 1 and 2147483647.", failures);
        Assert.Contains(failures, f => f.StartsWith("RelayBufferSize = '10'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("MaxClients = '-3'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("HandshakeTimeout = '00:00:00'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Egress:AllowedNetworks:1 = '10.0.0.1/8'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Egress:AllowedNetworks:2 = 'bogus'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Egress:DeniedNetworks:0 = '300.1.1.1'", StringComparison.Ordinal));
        Assert.Contains("Egress:DeniedPorts:1 = '0': must be between 1 and 65535.", failures);
        Assert.Contains("Egress:DeniedPorts:2 = '70000': must be between 1 and 65535.", failures);
        Assert.Equal(12, failures.Length);
    }

    [Fact]
    public void InfiniteIdleTimeout_IsAllowed()
    {
        Assert.True(Validate(new TunnelServerOptions { IdleTimeout = Timeout.InfiniteTimeSpan }).Succeeded);
    }

    [Fact]
    public void AttemptDelayNotBelowConnectTimeout_IsRejected()
    {
        ValidateOptionsResult result = Validate(new TunnelServerOptions { ConnectTimeout = TimeSpan.FromSeconds(1), ConnectionAttemptDelay = TimeSpan.FromSeconds(1) });

        Assert.Contains(result.Failures!, f => f.StartsWith("ConnectionAttemptDelay = '00:00:01'", StringComparison.Ordinal));
    }

    [Fact]
    public void NullEgress_IsReported()
    {
        ValidateOptionsResult result = Validate(new TunnelServerOptions { Egress = null! });

        Assert.Contains("Egress = '(null)': must be set.", result.Failures!);
    }
}
