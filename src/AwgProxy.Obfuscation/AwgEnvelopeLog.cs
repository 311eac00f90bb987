using System.Net;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Obfuscation;

/// <summary>
/// The envelope's log messages. Event ids are stable (docs/awg.md lists them); none of them carries
/// key material or datagram bytes: a drop is described by its reason, length and source only.
/// </summary>
internal static partial class AwgEnvelopeLog
{
    [LoggerMessage(1, LogLevel.Debug,
        "Dropped a {Length}-byte datagram from {RemoteEndPoint}: {Reason}; {Suppressed} more dropped for this reason since the last message",
        EventName = "DatagramDropped", SkipEnabledCheck = true)]
    public static partial void DatagramDropped(ILogger logger, int length, EndPoint? remoteEndPoint, AwgDropReason reason, long suppressed);

    [LoggerMessage(2, LogLevel.Warning,
        "The AWG profile sets Jc = {Jc} and {IPacketCount} I-packet(s), but this endpoint is a QUIC server: junk and I-packets are sent by clients only, so they are ignored here",
        EventName = "ClientOnlySettingsIgnored")]
    public static partial void ClientOnlySettingsIgnored(ILogger logger, int jc, int iPacketCount);

    [LoggerMessage(3, LogLevel.Debug,
        "AWG envelope on {LocalEndPoint} as {Role}: QUIC datagrams up to {MaxDatagramSize} bytes in a {WireMaxDatagramSize}-byte wire limit",
        EventName = "EnvelopeCreated")]
    public static partial void EnvelopeCreated(ILogger logger, EndPoint localEndPoint, AwgEnvelopeRole role, int maxDatagramSize, int wireMaxDatagramSize);
}
