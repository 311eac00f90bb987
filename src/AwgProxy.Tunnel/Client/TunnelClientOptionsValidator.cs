using AwgProxy.Tunnel.Server;
using Microsoft.Extensions.Options;

namespace AwgProxy.Tunnel.Client;

/// <summary>Validates <see cref="TunnelClientOptions"/> in one pass, naming each bad key and its value.</summary>
public sealed class TunnelClientOptionsValidator : IValidateOptions<TunnelClientOptions>
{
    public ValidateOptionsResult Validate(string? name, TunnelClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new OptionsErrors();
        errors.Positive(nameof(options.ReconnectMinDelay), options.ReconnectMinDelay);
        errors.Positive(nameof(options.ReconnectMaxDelay), options.ReconnectMaxDelay);
        if (options.ReconnectMinDelay > TimeSpan.Zero && options.ReconnectMaxDelay < options.ReconnectMinDelay)
        {
            errors.Add(nameof(options.ReconnectMaxDelay), options.ReconnectMaxDelay, "must not be less than ReconnectMinDelay.");
        }

        errors.InRange(nameof(options.ReconnectJitter), options.ReconnectJitter, 0.0, 1.0);
        errors.Positive(nameof(options.RequestWaitTimeout), options.RequestWaitTimeout);
        errors.Positive(nameof(options.ResponseTimeout), options.ResponseTimeout);
        errors.PositiveOrInfinite(nameof(options.IdleTimeout), options.IdleTimeout);
        errors.InRange(nameof(options.RelayBufferSize), options.RelayBufferSize, TunnelServerOptionsValidator.MinRelayBufferSize, TunnelServerOptionsValidator.MaxRelayBufferSize);
        return errors.Errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Errors);
    }
}
