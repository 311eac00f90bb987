using AwgProxy.IntegrationTests.Support;

namespace AwgProxy.IntegrationTests;

/// <summary>The Prometheus endpoints of client and server carry the series docs/metrics.md promises, with readable p95/p99.</summary>
[Collection(SharedPairCollection.Name)]
public class MetricsTests(SharedPairFixture fixture)
{
    private readonly ProxyPair _pair = fixture.Pair;

    [Fact]
    public async Task ClientAndServer_ExposeTheRequiredSeries_WithReadablePercentiles()
    {
        // A fresh request, so that the stream-open percentiles have a sample in their window.
        (byte reply, Socks5Probe probe) = await Socks5Probe.OpenAsync(_pair.Socks5, ProxyPair.User, ProxyPair.Password, "127.0.0.1", fixture.Echo.Port);
        await probe.DisposeAsync();
        Assert.Equal(0, reply);

        Metrics client = await Metrics.ScrapeAsync(_pair.ClientMetrics);
        Metrics server = await Metrics.ScrapeAsync(_pair.ServerMetrics);

        string[] clientSeries =
        [
            "awgproxy_socks5_active_sessions",
            "awgproxy_tunnel_client_active_sessions",
            "awgproxy_socks5_auth_failures_total",
            "awgproxy_tunnel_client_auth_failures_total",
            "awgproxy_tunnel_client_reconnects_total",
            "awgproxy_socks5_bytes_in_bytes_total",
            "awgproxy_socks5_bytes_out_bytes_total",
            "awgproxy_quic_sent_bytes_total",
            "awgproxy_quic_received_bytes_total",
            "awgproxy_obfuscation_dropped_total",
            "awgproxy_tunnel_client_stream_open_duration_seconds_bucket",
            "awgproxy_quic_rtt_seconds_bucket",
        ];
        string[] serverSeries =
        [
            "awgproxy_tunnel_server_active_sessions",
            "awgproxy_tunnel_server_connections",
            "awgproxy_tunnel_server_auth_failures_total",
            "awgproxy_tunnel_server_transferred_bytes_total",
            "awgproxy_quic_sent_bytes_total",
            "awgproxy_quic_received_bytes_total",
            "awgproxy_obfuscation_dropped_total",
            "awgproxy_tunnel_server_stream_open_duration_seconds_bucket",
            "awgproxy_quic_rtt_seconds_bucket",
        ];
        Assert.All(clientSeries, name => Assert.True(client.Has(name), $"client lacks {name}"));
        Assert.All(serverSeries, name => Assert.True(server.Has(name), $"server lacks {name}"));

        Assert.True(client.Has("awgproxy_quic_handshakes_total", ("role", "client"), ("result", "succeeded")));
        Assert.True(server.Has("awgproxy_quic_handshakes_total", ("role", "server"), ("result", "succeeded")));
        foreach (string reason in new[] { "too_short", "header_out_of_range", "implausible_first_byte" })
        {
            Assert.True(client.Has("awgproxy_obfuscation_dropped_total", ("reason", reason)), reason);
        }

        // The server drops the client's I-packet and junk (they match no class): at least Jc + 1 per handshake.
        Assert.True(server.Sum("awgproxy_obfuscation_dropped_total") >= 5);
        foreach (string reason in new[] { "unknown_key", "revoked", "not_ed25519" })
        {
            Assert.True(server.Has("awgproxy_tunnel_server_auth_failures_total", ("awgproxy_reason", reason)), reason);
        }

        // p95 and p99 are plain gauges one can read: stream-open latency and QUIC RTT, on both sides.
        foreach ((Metrics metrics, string name, (string, string) label) in new[]
        {
            (client, "awgproxy_tunnel_client_stream_open_duration_seconds", ("awgproxy_status", "succeeded")),
            (client, "awgproxy_quic_rtt_seconds", ("role", "client")),
            (server, "awgproxy_tunnel_server_stream_open_duration_seconds", ("awgproxy_status", "succeeded")),
            (server, "awgproxy_quic_rtt_seconds", ("role", "server")),
        })
        {
            foreach (string quantile in new[] { "_p95", "_p99" })
            {
                double value = metrics.Sum(name + quantile, label);
                Assert.True(double.IsFinite(value) && value > 0, $"{name}{quantile} = {value}");
            }
        }
    }
}
