using AwgProxy.Tunnel.Client;
using Microsoft.Extensions.Options;

namespace AwgProxy.Tunnel.Tests.Client;

public class TunnelClientOptionsValidatorTests
{
    private static ValidateOptionsResult Validate(TunnelClientOptions options) =>
        new TunnelClientOptionsValidator().Validate(null, options);

    [Fact]
    public void Defaults_AreValidAndAsDocumented()
    {
        var options = new TunnelClientOptions();

        Assert.True(Validate(options).Succeeded);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.ReconnectMinDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ReconnectMaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RequestWaitTimeout);
    }

    [Fact]
    public void EveryProblem_IsReportedInOnePassWithKeyAndValue()
    {
        var options = new TunnelClientOptions
        {
            ReconnectMinDelay = TimeSpan.FromSeconds(5),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
            ReconnectJitter = 1.5,
            RequestWaitTimeout = TimeSpan.Zero,
            ResponseTimeout = TimeSpan.FromSeconds(-1),
            RelayBufferSize = 0,
        };

        string[] failures = [.. Validate(options).Failures!];

        Assert.Contains("ReconnectMaxDelay = '00:00:01': must not be less than ReconnectMinDelay.", failures);
        Assert.Contains("ReconnectJitter = '1.5': must be between 0 and 1.", failures);
        Assert.Contains("RequestWaitTimeout = '00:00:00': must be greater than zero.", failures);
        Assert.Contains("ResponseTimeout = '-00:00:01': must be greater than zero.", failures);
        Assert.Contains(failures, f => f.StartsWith("RelayBufferSize = '0'", StringComparison.Ordinal));
        Assert.Equal(5, failures.Length);
    }

    [Fact]
    public void NaNJitter_IsRejected()
    {
        Assert.Contains(Validate(new TunnelClientOptions { ReconnectJitter = double.NaN }).Failures!, f => f.StartsWith("ReconnectJitter = 'NaN'", StringComparison.Ordinal));
    }
}
