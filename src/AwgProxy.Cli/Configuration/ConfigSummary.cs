using System.Globalization;
using System.Net;
using AwgProxy.Obfuscation;

namespace AwgProxy.Cli.Configuration;

/// <summary>
/// The one-line summary logged at start and printed by <c>awgproxy check</c>. It names addresses,
/// counts and AWG shape, never a key, a password or a user name, e.g.
/// <c>config: role=client server=vpn.example.org:51820 socks5=127.0.0.1:1080 users=2 awg=Jc4(40-70)/S52,24,18,12/H1..H4/I1 mtu=1472 quic-max=1416 metrics=127.0.0.1:9090 log=information</c>.
/// </summary>
public static class ConfigSummary
{
    /// <summary>The client's summary.</summary>
    public static string Format(ResolvedClientConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"config: role=client server={config.Server} socks5={ListenAddress.Format(config.Socks5Listen)} users={config.Socks5Users.Count} " +
            $"awg={Awg(config.Awg)} mtu={config.WireMtu} quic-max={config.AwgProfile.Budget.MaxQuicDatagramSize} " +
            $"metrics={Metrics(config.MetricsListen)} log={LogLevelText.Format(config.LogLevel)}");
    }

    /// <summary>The server's summary.</summary>
    public static string Format(ResolvedServerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var revoked = config.Clients.Count(c => c.Revoked);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"config: role=server listen={ListenAddress.Format(config.Listen)} clients={config.Clients.Count - revoked} revoked={revoked} " +
            $"awg={Awg(config.Awg)} mtu={config.WireMtu} quic-max={config.AwgProfile.Budget.MaxQuicDatagramSize} " +
            $"limits=conn{config.MaxConnections}/client{config.MaxConnectionsPerClient}/streams{config.MaxStreamsPerConnection} " +
            $"egress-allow={config.AllowedNetworks.Count} metrics={Metrics(config.MetricsListen)} log={LogLevelText.Format(config.LogLevel)}");
    }

    /// <summary>
    /// The AWG part: <c>Jc4(40-70)</c> when junk is on, <c>S52,24,18,12</c> when any padding is,
    /// the H keys set away from WireGuard's 1-4 (<c>H1..H4</c> when all), the I keys set; <c>off</c>
    /// when everything is at its default.
    /// </summary>
    public static string Awg(AwgOptions awg)
    {
        ArgumentNullException.ThrowIfNull(awg);
        var parts = new List<string>();
        if (awg.Jc > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"Jc{awg.Jc}({awg.Jmin}-{awg.Jmax})"));
        }

        if (awg.S1 != 0 || awg.S2 != 0 || awg.S3 != 0 || awg.S4 != 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"S{awg.S1},{awg.S2},{awg.S3},{awg.S4}"));
        }

        string?[] headers = [awg.H1, awg.H2, awg.H3, awg.H4];
        var custom = Enumerable.Range(0, 4)
            .Where(k => !string.IsNullOrEmpty(headers[k]) && headers[k]!.Trim() != (k + 1).ToString(CultureInfo.InvariantCulture))
            .Select(k => $"H{k + 1}")
            .ToList();
        if (custom.Count == 4)
        {
            parts.Add("H1..H4");
        }
        else if (custom.Count > 0)
        {
            parts.Add(string.Join(',', custom));
        }

        string?[] ipackets = [awg.I1, awg.I2, awg.I3, awg.I4, awg.I5];
        var set = Enumerable.Range(0, 5).Where(k => !string.IsNullOrEmpty(ipackets[k])).Select(k => $"I{k + 1}").ToList();
        if (set.Count > 0)
        {
            parts.Add(string.Join(',', set));
        }

        return parts.Count == 0 ? "off" : string.Join('/', parts);
    }

    private static string Metrics(IPEndPoint? endPoint) => endPoint is null ? "off" : ListenAddress.Format(endPoint);
}
