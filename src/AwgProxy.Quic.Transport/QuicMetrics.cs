using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace AwgProxy.Quic.Transport;

/// <summary>
/// The transport's System.Diagnostics.Metrics instruments, on the meter <see cref="MeterName"/>, created once per
/// <see cref="IMeterFactory"/>. Every instrument is tagged <c>role</c> (<c>client</c> or <c>server</c>).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>awgproxy.quic.handshakes</c> ({handshake}, counter): finished handshakes, tagged <c>result</c>
/// (<c>succeeded</c>, <c>failed</c>) and, when failed, <c>reason</c> (<c>timeout</c>, <c>tls</c>, <c>refused</c>,
/// <c>peer_closed</c>, <c>transport</c>, <c>version</c>, <c>local</c>, <c>path</c>).</item>
/// <item><c>awgproxy.quic.handshake.duration</c> (s, histogram): time from the first packet to handshake completion.</item>
/// <item><c>awgproxy.quic.connections</c> ({connection}, up-down counter): established connections not yet closed.</item>
/// <item><c>awgproxy.quic.sent</c> / <c>awgproxy.quic.received</c> (By, counters): UDP payload bytes through the
/// driver's datagram paths (stateless answers included), added once per batch.</item>
/// <item><c>awgproxy.quic.packets_lost</c> ({packet}, counter): packets declared lost, added every 10 s per connection
/// and at its close.</item>
/// <item><c>awgproxy.quic.rtt</c> (s, histogram): the smoothed RTT of each connection, sampled when its handshake
/// completes, every 10 s while it lives, and when it closes.</item>
/// <item><c>awgproxy.quic.stateless_responses</c> ({datagram}, counter): Version Negotiation, Retry and stateless
/// reset answers, tagged <c>kind</c>.</item>
/// </list>
/// </remarks>
public sealed class QuicMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "AwgProxy.Quic";

    public const string HandshakesName = "awgproxy.quic.handshakes";
    public const string HandshakeDurationName = "awgproxy.quic.handshake.duration";
    public const string ConnectionsName = "awgproxy.quic.connections";
    public const string SentName = "awgproxy.quic.sent";
    public const string ReceivedName = "awgproxy.quic.received";
    public const string PacketsLostName = "awgproxy.quic.packets_lost";
    public const string RttName = "awgproxy.quic.rtt";
    public const string StatelessResponsesName = "awgproxy.quic.stateless_responses";

    /// <summary>How often a live connection's RTT and losses are sampled.</summary>
    public static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(10);

    private static readonly ConditionalWeakTable<IMeterFactory, QuicMetrics> s_byFactory = [];

    private readonly Counter<long> _handshakes;
    private readonly Histogram<double> _handshakeDuration;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _received;
    private readonly Counter<long> _packetsLost;
    private readonly Histogram<double> _rtt;
    private readonly Counter<long> _statelessResponses;

    private QuicMetrics(Meter meter)
    {
        _handshakes = meter.CreateCounter<long>(HandshakesName, "{handshake}", "QUIC handshakes finished, by result.");
        _handshakeDuration = meter.CreateHistogram<double>(HandshakeDurationName, "s", "Time from the first packet to the completion of the QUIC handshake.");
        _connections = meter.CreateUpDownCounter<long>(ConnectionsName, "{connection}", "Established QUIC connections not yet closed.");
        _sent = meter.CreateCounter<long>(SentName, "By", "UDP payload bytes sent by the QUIC transport.");
        _received = meter.CreateCounter<long>(ReceivedName, "By", "UDP payload bytes received by the QUIC transport.");
        _packetsLost = meter.CreateCounter<long>(PacketsLostName, "{packet}", "QUIC packets declared lost.");
        _rtt = meter.CreateHistogram<double>(RttName, "s", "Smoothed round-trip time of QUIC connections, sampled.");
        _statelessResponses = meter.CreateCounter<long>(StatelessResponsesName, "{datagram}", "Stateless answers: Version Negotiation, Retry, stateless reset.");
    }

    /// <summary>The instance for <paramref name="meterFactory"/>; null (no metrics) when it is null.</summary>
    internal static QuicMetrics? For(IMeterFactory? meterFactory) =>
        meterFactory is null ? null : s_byFactory.GetValue(meterFactory, static factory => new QuicMetrics(factory.Create(MeterName)));

    internal void HandshakeSucceeded(string role, TimeSpan duration)
    {
        if (_handshakes.Enabled) _handshakes.Add(1, new("role", role), new("result", "succeeded"));
        if (_handshakeDuration.Enabled) _handshakeDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("role", role));
    }

    internal void HandshakeFailed(string role, string reason)
    {
        if (_handshakes.Enabled) _handshakes.Add(1, new("role", role), new("result", "failed"), new("reason", reason));
    }

    internal void ConnectionOpened(string role)
    {
        if (_connections.Enabled) _connections.Add(1, new KeyValuePair<string, object?>("role", role));
    }

    internal void ConnectionClosed(string role)
    {
        if (_connections.Enabled) _connections.Add(-1, new KeyValuePair<string, object?>("role", role));
    }

    internal void BytesSent(string role, long bytes)
    {
        if (bytes > 0 && _sent.Enabled) _sent.Add(bytes, new KeyValuePair<string, object?>("role", role));
    }

    internal void BytesReceived(string role, long bytes)
    {
        if (bytes > 0 && _received.Enabled) _received.Add(bytes, new KeyValuePair<string, object?>("role", role));
    }

    internal void Sample(string role, TimeSpan smoothedRtt, long newlyLost)
    {
        if (newlyLost > 0 && _packetsLost.Enabled) _packetsLost.Add(newlyLost, new KeyValuePair<string, object?>("role", role));
        if (smoothedRtt > TimeSpan.Zero && _rtt.Enabled) _rtt.Record(smoothedRtt.TotalSeconds, new KeyValuePair<string, object?>("role", role));
    }

    internal void StatelessResponse(string role, EndpointResponseKind kind)
    {
        if (_statelessResponses.Enabled)
        {
            string name = kind switch
            {
                EndpointResponseKind.VersionNegotiation => "version_negotiation",
                EndpointResponseKind.Retry => "retry",
                EndpointResponseKind.StatelessReset => "stateless_reset",
                EndpointResponseKind.InvalidToken => "invalid_token",
                _ => "other",
            };
            _statelessResponses.Add(1, new("role", role), new("kind", name));
        }
    }
}
