using Microsoft.Extensions.Options;

namespace AwgProxy.Tunnel.Server;

/// <summary>
/// Validates <see cref="TunnelServerOptions"/> in one pass, reporting every problem with its key
/// (configuration path relative to the options section, e.g. <c>Egress:AllowedNetworks:2</c>) and value.
/// </summary>
public sealed class TunnelServerOptionsValidator : IValidateOptions<TunnelServerOptions>
{
    /// <summary>The largest relay buffer accepted (16 MiB).</summary>
    public const int MaxRelayBufferSize = 16 * 1024 * 1024;

    /// <summary>The smallest relay buffer accepted (1 KiB).</summary>
    public const int MinRelayBufferSize = 1024;

    public ValidateOptionsResult Validate(string? name, TunnelServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new OptionsErrors();
        errors.Positive(nameof(options.RequestTimeout), options.RequestTimeout);
        errors.Positive(nameof(options.ConnectTimeout), options.ConnectTimeout);
        errors.NotNegative(nameof(options.ConnectionAttemptDelay), options.ConnectionAttemptDelay);
        if (options.ConnectTimeout > TimeSpan.Zero && options.ConnectionAttemptDelay >= options.ConnectTimeout)
        {
            errors.Add(nameof(options.ConnectionAttemptDelay), options.ConnectionAttemptDelay, $"must be less than ConnectTimeout ({options.ConnectTimeout:c}).");
        }

        errors.PositiveOrInfinite(nameof(options.IdleTimeout), options.IdleTimeout);
        errors.InRange(nameof(options.MaxStreamsPerClient), options.MaxStreamsPerClient, 1, int.MaxValue);
        errors.InRange(nameof(options.RelayBufferSize), options.RelayBufferSize, MinRelayBufferSize, MaxRelayBufferSize);
        errors.InRange(nameof(options.MaxClients), options.MaxClients, 1, int.MaxValue);
        errors.InRange(nameof(options.MaxConnectionsPerClient), options.MaxConnectionsPerClient, 1, int.MaxValue);
        errors.InRange(nameof(options.MaxStreamsPerConnection), options.MaxStreamsPerConnection, 1, int.MaxValue);
        errors.Positive(nameof(options.HandshakeTimeout), options.HandshakeTimeout);
        errors.Positive(nameof(options.ConnectionIdleTimeout), options.ConnectionIdleTimeout);

        if (options.Egress is null)
        {
            errors.Add(nameof(options.Egress), null, "must be set.");
        }
        else
        {
            ValidateEgress(options.Egress, errors);
        }

        return errors.Errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Errors);
    }

    private static void ValidateEgress(EgressPolicyOptions egress, OptionsErrors errors)
    {
        const string prefix = nameof(TunnelServerOptions.Egress) + ":";
        ValidateNetworks(prefix + nameof(egress.AllowedNetworks), egress.AllowedNetworks, errors);
        ValidateNetworks(prefix + nameof(egress.DeniedNetworks), egress.DeniedNetworks, errors);
        if (egress.DeniedPorts is null)
        {
            errors.Add(prefix + nameof(egress.DeniedPorts), null, "must be set.");
        }
        else
        {
            int index = 0;
            foreach (int port in egress.DeniedPorts)
            {
                errors.InRange($"{prefix}{nameof(egress.DeniedPorts)}:{index}", port, 1, ushort.MaxValue);
                index++;
            }
        }

        errors.Positive(prefix + nameof(egress.LocalAddressRefreshInterval), egress.LocalAddressRefreshInterval);
    }

    private static void ValidateNetworks(string key, IList<string>? networks, OptionsErrors errors)
    {
        if (networks is null)
        {
            errors.Add(key, null, "must be set.");
            return;
        }

        for (int i = 0; i < networks.Count; i++)
        {
            if (!NetworkList.TryParse(networks[i], out _))
            {
                errors.Add($"{key}:{i}", networks[i], "is not a CIDR (address/prefix, no bits set past the prefix) or an IP address.");
            }
        }
    }
}
