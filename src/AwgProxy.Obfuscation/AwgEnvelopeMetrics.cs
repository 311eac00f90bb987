using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace AwgProxy.Obfuscation;

/// <summary>
/// The envelope's System.Diagnostics.Metrics instruments, on the meter <see cref="MeterName"/>. One
/// instance per <see cref="IMeterFactory"/> (envelopes built with the same factory share it, so each
/// instrument exists once), or a process-wide one when no factory is given. All counters count
/// datagrams and are added to once per batch.
/// </summary>
public sealed class AwgEnvelopeMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "AwgProxy.Obfuscation";

    /// <summary>QUIC datagrams wrapped and sent, tagged <c>class</c>.</summary>
    public const string DatagramsSentName = "awgproxy.obfuscation.datagrams_sent";

    /// <summary>I-packets and junk datagrams sent, tagged <c>kind</c> (<c>i_packet</c> or <c>junk</c>).</summary>
    public const string JunkSentName = "awgproxy.obfuscation.junk_sent";

    /// <summary>Datagrams that matched a class and went on to QUIC, tagged <c>class</c>.</summary>
    public const string DatagramsReceivedName = "awgproxy.obfuscation.datagrams_received";

    /// <summary>Received datagrams dropped as not ours, tagged <c>reason</c>.</summary>
    public const string DroppedName = "awgproxy.obfuscation.dropped";

    /// <summary>Tag naming the AWG class: <c>initiation</c>, <c>response</c>, <c>cookie</c>, <c>transport</c>.</summary>
    public const string ClassTag = "class";

    /// <summary>Tag naming the kind of burst datagram: <c>i_packet</c> or <c>junk</c>.</summary>
    public const string KindTag = "kind";

    /// <summary>Tag naming the <see cref="AwgDropReason"/>: <c>too_short</c>, <c>header_out_of_range</c>, <c>implausible_first_byte</c>.</summary>
    public const string ReasonTag = "reason";

    private const string Unit = "{datagram}";

    private static readonly string[] s_classNames = ["initiation", "response", "cookie", "transport"];
    private static readonly string[] s_reasonNames = ["too_short", "header_out_of_range", "implausible_first_byte"];
    private static readonly ConditionalWeakTable<IMeterFactory, AwgEnvelopeMetrics> s_byFactory = [];
    private static readonly Lazy<AwgEnvelopeMetrics> s_shared = new(() => new AwgEnvelopeMetrics(new Meter(MeterName)));

    private readonly Counter<long> _datagramsSent;
    private readonly Counter<long> _junkSent;
    private readonly Counter<long> _datagramsReceived;
    private readonly Counter<long> _dropped;

    private AwgEnvelopeMetrics(Meter meter)
    {
        _datagramsSent = meter.CreateCounter<long>(DatagramsSentName, Unit, "QUIC datagrams wrapped in the AWG envelope and sent.");
        _junkSent = meter.CreateCounter<long>(JunkSentName, Unit, "I-packets and junk datagrams sent before ClientHello datagrams.");
        _datagramsReceived = meter.CreateCounter<long>(DatagramsReceivedName, Unit, "Received datagrams that matched an AWG class and went on to QUIC.");
        _dropped = meter.CreateCounter<long>(DroppedName, Unit, "Received datagrams dropped because they match no AWG class the peer sends.");

        // Every drop reason is a series from the start (at 0), so that a scrape shows it before the first drop.
        foreach (string reason in s_reasonNames)
        {
            _dropped.Add(0, new KeyValuePair<string, object?>(ReasonTag, reason));
        }
    }

    /// <summary>The tag value of a class (<c>initiation</c>, ...).</summary>
    public static string ClassName(AwgMessageClass messageClass) => s_classNames[(int)messageClass - 1];

    /// <summary>The tag value of a drop reason (<c>too_short</c>, ...).</summary>
    public static string ReasonName(AwgDropReason reason) => s_reasonNames[(int)reason];

    /// <summary>The instance for <paramref name="meterFactory"/>, or the process-wide one when it is null.</summary>
    internal static AwgEnvelopeMetrics For(IMeterFactory? meterFactory) =>
        meterFactory is null
            ? s_shared.Value
            : s_byFactory.GetValue(meterFactory, static factory => new AwgEnvelopeMetrics(factory.Create(MeterName)));

    internal void AddDatagramsSent(AwgMessageClass messageClass, long count)
    {
        if (count > 0 && _datagramsSent.Enabled)
        {
            _datagramsSent.Add(count, new KeyValuePair<string, object?>(ClassTag, ClassName(messageClass)));
        }
    }

    internal void AddIPacketsSent(long count)
    {
        if (count > 0 && _junkSent.Enabled)
        {
            _junkSent.Add(count, new KeyValuePair<string, object?>(KindTag, "i_packet"));
        }
    }

    internal void AddJunkSent(long count)
    {
        if (count > 0 && _junkSent.Enabled)
        {
            _junkSent.Add(count, new KeyValuePair<string, object?>(KindTag, "junk"));
        }
    }

    internal void AddDatagramsReceived(AwgMessageClass messageClass, long count)
    {
        if (count > 0 && _datagramsReceived.Enabled)
        {
            _datagramsReceived.Add(count, new KeyValuePair<string, object?>(ClassTag, ClassName(messageClass)));
        }
    }

    internal void AddDropped(AwgDropReason reason, long count)
    {
        if (count > 0 && _dropped.Enabled)
        {
            _dropped.Add(count, new KeyValuePair<string, object?>(ReasonTag, ReasonName(reason)));
        }
    }
}
