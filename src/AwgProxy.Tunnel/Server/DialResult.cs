using System.Net;
using System.Net.Sockets;
using AwgProxy.Tunnel.Protocol;

namespace AwgProxy.Tunnel.Server;

/// <summary>The outcome of dialing a destination.</summary>
/// <param name="Status">Succeeded, or why not.</param>
/// <param name="Socket">The connected socket when <paramref name="Status"/> is Succeeded; the caller owns it.</param>
/// <param name="RemoteEndPoint">The address connected to, or the last one tried.</param>
/// <param name="Verdict">Why the policy refused (<see cref="EgressVerdict.Allowed"/> when it did not).</param>
/// <param name="SocketError">The connect or resolve error behind a failure, when there was one.</param>
public readonly record struct DialResult(
    TunnelStatus Status,
    Socket? Socket,
    IPEndPoint? RemoteEndPoint,
    EgressVerdict Verdict,
    SocketError? SocketError)
{
    internal static DialResult Refused(EgressVerdict verdict) =>
        new(TunnelStatus.NotAllowedByRuleset, null, null, verdict, null);

    internal static DialResult Failed(TunnelStatus status, IPEndPoint? endPoint, SocketError? error) =>
        new(status, null, endPoint, EgressVerdict.Allowed, error);
}
