using System.Diagnostics.Metrics;

namespace AwgProxy.Cli.Metrics;

/// <summary>
/// The project's meter naming convention (docs/metrics.md): every component creates its meter as
/// <c>AwgProxy.&lt;Component&gt;</c> (<c>AwgProxy.Quic</c>, <c>AwgProxy.Tunnel.Server</c>,
/// <c>AwgProxy.Socks5</c>), preferably through <see cref="IMeterFactory"/>, and the Prometheus
/// endpoint exports exactly those meters.
/// </summary>
public static class AwgProxyMeters
{
    /// <summary>The meter name prefix: a project meter is named <c>AwgProxy</c> or <c>AwgProxy.*</c>.</summary>
    public const string Prefix = "AwgProxy";

    /// <summary>True for a meter that follows the convention.</summary>
    public static bool IsProjectMeter(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        return meter.Name == Prefix || meter.Name.StartsWith(Prefix + ".", StringComparison.Ordinal);
    }
}
