using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using AwgProxy.Socks5.Protocol;

namespace AwgProxy.Socks5;

/// <summary>
/// The SOCKS5 server's instruments, on the meter <see cref="MeterName"/>. Create one per process from the
/// host's <see cref="IMeterFactory"/> and hand it to every <see cref="Socks5Server"/>.
/// </summary>
/// <remarks>
/// <code>
/// Instrument                           Type                Unit       Tags
/// awgproxy.socks5.active_sessions      UpDownCounter&lt;long&gt; {session}  -
/// awgproxy.socks5.rejected_sessions    Counter&lt;long&gt;       {session}  reason = session_limit
/// awgproxy.socks5.handshake_failures   Counter&lt;long&gt;       {session}  reason = timeout | protocol_error | client_closed
/// awgproxy.socks5.auth_failures        Counter&lt;long&gt;       {session}  reason = invalid_credentials | no_acceptable_method | malformed
/// awgproxy.socks5.requests             Counter&lt;long&gt;       {request}  command = connect | bind | udp_associate | unknown;
///                                                                     reply = succeeded | general_failure | ... | unassigned
/// awgproxy.socks5.bytes_in             Counter&lt;long&gt;       By         - (client to upstream)
/// awgproxy.socks5.bytes_out            Counter&lt;long&gt;       By         - (upstream to client)
/// awgproxy.socks5.connect.duration     Histogram&lt;double&gt;   s          reply; from the parsed CONNECT to the reply sent
/// </code>
/// Tag values come from fixed tables, so recording allocates nothing and cardinality stays bounded.
/// </remarks>
public sealed class Socks5Metrics
{
    /// <summary>Name of the meter.</summary>
    public const string MeterName = "AwgProxy.Socks5";

    private static readonly string[] s_replyNames =
    [
        "succeeded",
        "general_failure",
        "connection_not_allowed",
        "network_unreachable",
        "host_unreachable",
        "connection_refused",
        "ttl_expired",
        "command_not_supported",
        "address_type_not_supported",
    ];

    private static readonly string[] s_commandNames = ["unknown", "connect", "bind", "udp_associate"];

    private readonly UpDownCounter<long> _activeSessions;
    private readonly Counter<long> _rejectedSessions;
    private readonly Counter<long> _handshakeFailures;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private readonly Histogram<double> _connectDuration;

    /// <summary>Creates the meter and its instruments.</summary>
    public Socks5Metrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter meter = meterFactory.Create(MeterName);
        _activeSessions = meter.CreateUpDownCounter<long>(
            "awgproxy.socks5.active_sessions", "{session}", "Sessions open now, from accept to close.");
        _rejectedSessions = meter.CreateCounter<long>(
            "awgproxy.socks5.rejected_sessions", "{session}", "Connections closed at accept because a limit was reached.");
        _handshakeFailures = meter.CreateCounter<long>(
            "awgproxy.socks5.handshake_failures", "{session}", "Handshakes that ended before a request was read, other than by authentication.");
        _authFailures = meter.CreateCounter<long>(
            "awgproxy.socks5.auth_failures", "{session}", "Sessions refused during method selection or username/password authentication.");
        _requests = meter.CreateCounter<long>(
            "awgproxy.socks5.requests", "{request}", "SOCKS requests answered, by command and reply code.");
        _bytesIn = meter.CreateCounter<long>(
            "awgproxy.socks5.bytes_in", "By", "Bytes relayed from SOCKS clients to upstreams.");
        _bytesOut = meter.CreateCounter<long>(
            "awgproxy.socks5.bytes_out", "By", "Bytes relayed from upstreams to SOCKS clients.");
        _connectDuration = meter.CreateHistogram(
            "awgproxy.socks5.connect.duration",
            "s",
            "Time from a parsed CONNECT request to the reply sent.",
            advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
            });

        // The authentication failure reasons are series from the start (at 0), visible before the first failure.
        foreach (string reason in new[] { Socks5MetricReasons.InvalidCredentials, Socks5MetricReasons.NoAcceptableMethod, Socks5MetricReasons.Malformed })
        {
            _authFailures.Add(0, new KeyValuePair<string, object?>("reason", reason));
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

    internal void SessionRejected(string reason)
    {
        if (_rejectedSessions.Enabled)
        {
            _rejectedSessions.Add(1, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    internal void HandshakeFailed(string reason)
    {
        if (_handshakeFailures.Enabled)
        {
            _handshakeFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    internal void AuthenticationFailed(string reason)
    {
        if (_authFailures.Enabled)
        {
            _authFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    internal void RequestAnswered(byte command, Socks5ReplyCode replyCode)
    {
        if (_requests.Enabled)
        {
            RequestAnsweredCore(command, replyCode);
        }
    }

    internal void BytesIn(int count)
    {
        if (_bytesIn.Enabled)
        {
            _bytesIn.Add(count);
        }
    }

    internal void BytesOut(int count)
    {
        if (_bytesOut.Enabled)
        {
            _bytesOut.Add(count);
        }
    }

    internal void ConnectCompleted(Socks5ReplyCode replyCode, TimeSpan duration)
    {
        if (_connectDuration.Enabled)
        {
            _connectDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("reply", ReplyName(replyCode)));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RequestAnsweredCore(byte command, Socks5ReplyCode replyCode)
    {
        var tags = new TagList
        {
            { "command", command < s_commandNames.Length ? s_commandNames[command] : s_commandNames[0] },
            { "reply", ReplyName(replyCode) },
        };
        _requests.Add(1, tags);
    }

    private static string ReplyName(Socks5ReplyCode replyCode) =>
        (byte)replyCode < s_replyNames.Length ? s_replyNames[(byte)replyCode] : "unassigned";
}
