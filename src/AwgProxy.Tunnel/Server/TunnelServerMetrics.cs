using System.Diagnostics;
using System.Diagnostics.Metrics;
using AwgProxy.Tunnel.Protocol;

namespace AwgProxy.Tunnel.Server;

/// <summary>
/// The server side's instruments (meter <see cref="MeterName"/>; docs/protocol.md lists them).
/// Tags: <c>awgproxy.client</c> (the client's configured name), <c>awgproxy.direction</c>
/// (<c>upstream</c> = client to destination, <c>downstream</c>), <c>awgproxy.status</c>
/// (<see cref="TunnelStatusNames"/>), <c>awgproxy.limit</c>, <c>awgproxy.verdict</c>,
/// <c>awgproxy.reason</c>.
/// </summary>
public sealed class TunnelServerMetrics
{
    public const string MeterName = "AwgProxy.Tunnel.Server";

    private readonly UpDownCounter<long> _activeSessions;
    private readonly Counter<long> _transferred;
    private readonly Counter<long> _dials;
    private readonly Histogram<double> _streamOpenDuration;
    private readonly Histogram<double> _sessionDuration;
    private readonly Counter<long> _limitHits;
    private readonly Counter<long> _egressRefusals;
    private readonly Counter<long> _streamErrors;
    private readonly Counter<long> _authFailures;
    private readonly UpDownCounter<long> _connections;

    public TunnelServerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter meter = meterFactory.Create(MeterName);
        _activeSessions = meter.CreateUpDownCounter<long>("awgproxy.tunnel.server.active_sessions", "{session}", "Proxied connections currently relaying.");
        _transferred = meter.CreateCounter<long>("awgproxy.tunnel.server.transferred", "By", "Payload bytes relayed.");
        _dials = meter.CreateCounter<long>("awgproxy.tunnel.server.dials", "{dial}", "Upstream dials by result.");
        _streamOpenDuration = meter.CreateHistogram<double>("awgproxy.tunnel.server.stream_open.duration", "s", "From accepting a stream to sending its response.");
        _sessionDuration = meter.CreateHistogram<double>("awgproxy.tunnel.server.session.duration", "s", "Lifetime of a relayed session.");
        _limitHits = meter.CreateCounter<long>("awgproxy.tunnel.server.limit_hits", "{hit}", "Limits hit, by limit: streams or connections refused, connections closed by the idle timeout.");
        _egressRefusals = meter.CreateCounter<long>("awgproxy.tunnel.server.egress_refusals", "{dial}", "Dials refused by the egress policy, by reason.");
        _streamErrors = meter.CreateCounter<long>("awgproxy.tunnel.server.stream_errors", "{stream}", "Streams reset for a protocol reason (invalid request, request timeout, unsupported command).");
        _authFailures = meter.CreateCounter<long>("awgproxy.tunnel.server.auth_failures", "{handshake}", "Clients refused during the QUIC/TLS handshake, by reason (unknown_key, revoked, not_ed25519).");
        _connections = meter.CreateUpDownCounter<long>("awgproxy.tunnel.server.connections", "{connection}", "Authenticated client connections being served.");

        // The authentication failure reasons start at 0, so that a scrape shows them before the first refusal.
        foreach (string reason in new[] { Quic.TunnelClientAuthenticator.UnknownKey, Quic.TunnelClientAuthenticator.Revoked, Quic.TunnelClientAuthenticator.NotEd25519 })
        {
            _authFailures.Add(0, new KeyValuePair<string, object?>("awgproxy.reason", reason));
        }
    }

    internal void SessionStarted(string client)
    {
        if (_activeSessions.Enabled)
        {
            _activeSessions.Add(1, new KeyValuePair<string, object?>("awgproxy.client", client));
        }
    }

    internal void SessionEnded(string client, TimeSpan duration)
    {
        if (_activeSessions.Enabled)
        {
            _activeSessions.Add(-1, new KeyValuePair<string, object?>("awgproxy.client", client));
        }

        if (_sessionDuration.Enabled)
        {
            _sessionDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("awgproxy.client", client));
        }
    }

    internal void Transferred(string client, bool upstream, int bytes)
    {
        if (_transferred.Enabled)
        {
            var tags = new TagList
            {
                { "awgproxy.client", client },
                { "awgproxy.direction", upstream ? "upstream" : "downstream" },
            };
            _transferred.Add(bytes, tags);
        }
    }

    internal void Dialed(string client, TunnelStatus status)
    {
        if (_dials.Enabled)
        {
            _dials.Add(1, new KeyValuePair<string, object?>("awgproxy.client", client), new KeyValuePair<string, object?>("awgproxy.status", TunnelStatusNames.Get(status)));
        }
    }

    internal void StreamOpened(TunnelStatus status, TimeSpan elapsed)
    {
        if (_streamOpenDuration.Enabled)
        {
            _streamOpenDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("awgproxy.status", TunnelStatusNames.Get(status)));
        }
    }

    internal void LimitHit(string client, string limit)
    {
        if (_limitHits.Enabled)
        {
            _limitHits.Add(1, new KeyValuePair<string, object?>("awgproxy.client", client), new KeyValuePair<string, object?>("awgproxy.limit", limit));
        }
    }

    internal void AuthenticationFailed(string reason)
    {
        if (_authFailures.Enabled)
        {
            _authFailures.Add(1, new KeyValuePair<string, object?>("awgproxy.reason", reason));
        }
    }

    internal void ConnectionOpened(string client)
    {
        if (_connections.Enabled)
        {
            _connections.Add(1, new KeyValuePair<string, object?>("awgproxy.client", client));
        }
    }

    internal void ConnectionClosed(string client)
    {
        if (_connections.Enabled)
        {
            _connections.Add(-1, new KeyValuePair<string, object?>("awgproxy.client", client));
        }
    }

    internal void EgressRefused(EgressVerdict verdict)
    {
        if (_egressRefusals.Enabled)
        {
            _egressRefusals.Add(1, new KeyValuePair<string, object?>("awgproxy.verdict", verdict.ToString()));
        }
    }

    internal void StreamError(string reason)
    {
        if (_streamErrors.Enabled)
        {
            _streamErrors.Add(1, new KeyValuePair<string, object?>("awgproxy.reason", reason));
        }
    }
}
