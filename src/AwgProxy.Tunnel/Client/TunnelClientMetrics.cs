using System.Diagnostics;
using System.Diagnostics.Metrics;
using AwgProxy.Tunnel.Protocol;

namespace AwgProxy.Tunnel.Client;

/// <summary>
/// The client side's instruments (meter <see cref="MeterName"/>; docs/protocol.md lists them).
/// Tags: <c>awgproxy.direction</c> (<c>upstream</c> = application to server, <c>downstream</c>),
/// <c>awgproxy.status</c> (<see cref="TunnelStatusNames"/>).
/// </summary>
public sealed class TunnelClientMetrics
{
    public const string MeterName = "AwgProxy.Tunnel.Client";

    private readonly UpDownCounter<long> _activeSessions;
    private readonly Counter<long> _transferred;
    private readonly Counter<long> _streamOpens;
    private readonly Histogram<double> _streamOpenDuration;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _migrations;
    private readonly Counter<long> _connectFailures;
    private readonly UpDownCounter<long> _connected;
    private readonly Counter<long> _authFailures;

    public TunnelClientMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter meter = meterFactory.Create(MeterName);
        _activeSessions = meter.CreateUpDownCounter<long>("awgproxy.tunnel.client.active_sessions", "{session}", "Open proxied streams.");
        _transferred = meter.CreateCounter<long>("awgproxy.tunnel.client.transferred", "By", "Payload bytes through the tunnel.");
        _streamOpens = meter.CreateCounter<long>("awgproxy.tunnel.client.stream_opens", "{stream}", "Stream open requests by result.");
        _streamOpenDuration = meter.CreateHistogram<double>("awgproxy.tunnel.client.stream_open.duration", "s", "From OpenAsync to the server's response (waiting for the connection included).");
        _reconnects = meter.CreateCounter<long>("awgproxy.tunnel.client.reconnects", "{connection}", "Tunnel connections re-established after a loss.");
        _migrations = meter.CreateCounter<long>("awgproxy.tunnel.client.migrations", "{migration}", "Tunnel connections moved to a new local socket after a network change.");
        _connectFailures = meter.CreateCounter<long>("awgproxy.tunnel.client.connect_failures", "{attempt}", "Failed tunnel connection attempts.");
        _connected = meter.CreateUpDownCounter<long>("awgproxy.tunnel.client.connected", "{connection}", "1 while the tunnel connection is up.");
        _authFailures = meter.CreateCounter<long>("awgproxy.tunnel.client.auth_failures", "{attempt}", "Tunnel connection attempts that failed authentication, by reason (server_key_mismatch, refused_by_server).");

        // Series that matter before they first move start at 0, so that a scrape shows them.
        _reconnects.Add(0);
        _migrations.Add(0);
        _connectFailures.Add(0);
        _connected.Add(0);
        foreach (string reason in new[] { Quic.QuicTunnelConnectionFactory.ServerKeyMismatch, Quic.QuicTunnelConnectionFactory.RefusedByServer })
        {
            _authFailures.Add(0, new KeyValuePair<string, object?>("awgproxy.reason", reason));
        }
    }

    internal void SessionStarted()
    {
        if (_activeSessions.Enabled)
        {
            _activeSessions.Add(1);
        }
    }

    internal void SessionEnded()
    {
        if (_activeSessions.Enabled)
        {
            _activeSessions.Add(-1);
        }
    }

    internal void Transferred(bool upstream, int bytes)
    {
        if (_transferred.Enabled)
        {
            _transferred.Add(bytes, new KeyValuePair<string, object?>("awgproxy.direction", upstream ? "upstream" : "downstream"));
        }
    }

    internal void StreamOpened(TunnelStatus status, TimeSpan elapsed)
    {
        if (_streamOpens.Enabled || _streamOpenDuration.Enabled)
        {
            var tags = new TagList { { "awgproxy.status", TunnelStatusNames.Get(status) } };
            _streamOpens.Add(1, tags);
            _streamOpenDuration.Record(elapsed.TotalSeconds, tags);
        }
    }

    internal void Reconnected() => _reconnects.Add(1);

    internal void Migrated() => _migrations.Add(1);

    internal void ConnectFailed() => _connectFailures.Add(1);

    internal void ConnectionUp() => _connected.Add(1);

    internal void ConnectionDown() => _connected.Add(-1);

    internal void AuthenticationFailed(string reason) =>
        _authFailures.Add(1, new KeyValuePair<string, object?>("awgproxy.reason", reason));
}
