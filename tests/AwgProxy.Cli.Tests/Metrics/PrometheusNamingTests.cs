using AwgProxy.Cli.Metrics;

namespace AwgProxy.Cli.Tests.Metrics;

public class PrometheusNamingTests
{
    [Theory]
    [InlineData("awgproxy.quic.handshake.duration", "s", "Histogram", "awgproxy_quic_handshake_duration_seconds")]
    [InlineData("awgproxy.tunnel.bytes", "By", "Counter", "awgproxy_tunnel_bytes_total")]
    [InlineData("awgproxy.quic.sent", "By", "Counter", "awgproxy_quic_sent_bytes_total")]
    [InlineData("awgproxy.socks5.connections", "{connection}", "Gauge", "awgproxy_socks5_connections")]
    [InlineData("awgproxy.socks5.connections.opened", "{connection}", "Counter", "awgproxy_socks5_connections_opened_total")]
    [InlineData("awgproxy.requests_total", null, "Counter", "awgproxy_requests_total")]
    [InlineData("awgproxy.link.rate", "By/s", "Gauge", "awgproxy_link_rate_bytes_per_second")]
    [InlineData("awgproxy.loss", "1", "Gauge", "awgproxy_loss_ratio")]
    [InlineData("awgproxy.drops", "1", "Counter", "awgproxy_drops_total")]
    [InlineData("awgproxy.rtt", "ms", "Histogram", "awgproxy_rtt_milliseconds")]
    [InlineData("awgproxy.cpu", "%", "Gauge", "awgproxy_cpu_percent")]
    [InlineData("awgproxy.weird-name/x", "m", "Gauge", "awgproxy_weird_name_x_m")]
    [InlineData("9lives", null, "Gauge", "_9lives")]
    [InlineData("awgproxy.size", "KiBy", "Gauge", "awgproxy_size_kibibytes")]
    public void InstrumentNames_MapToPrometheusNames(string name, string? unit, string type, string expected) =>
        Assert.Equal(expected, PrometheusNaming.MetricName(name, unit, Enum.Parse<PrometheusType>(type)));

    [Theory]
    [InlineData("peer.name", "peer_name")]
    [InlineData("quic:version", "quic_version")]
    [InlineData("1st", "_1st")]
    public void TagKeys_MapToLabelNames(string key, string expected) => Assert.Equal(expected, PrometheusNaming.LabelName(key));

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(0.25, "0.25")]
    [InlineData(1e-5, "1E-05")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void Values_UseThePrometheusSpelling(double value, string expected) => Assert.Equal(expected, PrometheusNaming.FormatValue(value));
}
