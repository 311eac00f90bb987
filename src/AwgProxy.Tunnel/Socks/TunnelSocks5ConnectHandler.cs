using AwgProxy.Socks5;
using AwgProxy.Socks5.Protocol;
using AwgProxy.Tunnel.Client;
using AwgProxy.Tunnel.Protocol;

namespace AwgProxy.Tunnel.Socks;

/// <summary>
/// Serves SOCKS5 CONNECT through the tunnel: the destination becomes the stream's request
/// (<see cref="Socks5Address"/> → <see cref="TunnelDestination"/>, names unresolved), the server's status
/// is the reply code (they are the same table, docs/protocol.md section 4), and on success the tunnel
/// stream is the upstream the SOCKS5 server relays to. BND.ADDR:BND.PORT is 0.0.0.0:0: the address the
/// server dialled from is not sent back.
/// </summary>
/// <remarks>
/// Port 0, which the tunnel cannot carry, is answered locally: connection refused (5), what a TCP connect to
/// port 0 gets.
/// </remarks>
public sealed class TunnelSocks5ConnectHandler : ISocks5ConnectHandler
{
    private readonly TunnelClient _client;

    /// <summary>Serves requests through <paramref name="client"/>.</summary>
    public TunnelSocks5ConnectHandler(TunnelClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <inheritdoc/>
    public async ValueTask<Socks5ConnectResult> ConnectAsync(Socks5ConnectRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!TryGetDestination(request.DestinationAddress, request.DestinationPort, out TunnelDestination? destination, out Socks5ReplyCode refusal))
        {
            return Socks5ConnectResult.Failure(refusal);
        }

        TunnelOpenResult result = await _client.OpenAsync(destination, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded || result.Stream is null)
        {
            return Socks5ConnectResult.Failure(ToReplyCode(result.Status));
        }

        return Socks5ConnectResult.Success(new TunnelSocks5Upstream(result.Stream));
    }

    /// <summary>The SOCKS5 reply code of a tunnel status: the same number (RFC 1928 REP).</summary>
    public static Socks5ReplyCode ToReplyCode(TunnelStatus status) =>
        status == TunnelStatus.Succeeded ? Socks5ReplyCode.GeneralFailure : (Socks5ReplyCode)(byte)status;

    /// <summary>The tunnel destination of a SOCKS5 DST.ADDR/DST.PORT, or the reply that refuses it.</summary>
    public static bool TryGetDestination(Socks5Address address, ushort port, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TunnelDestination? destination, out Socks5ReplyCode refusal)
    {
        destination = null;
        if (port == 0)
        {
            refusal = Socks5ReplyCode.ConnectionRefused;
            return false;
        }

        // A SOCKS5 name is 1-255 visible US-ASCII characters, exactly what a tunnel request may carry.
        destination = address.Type == Socks5AddressType.DomainName
            ? TunnelDestination.FromHost(address.DomainName!, port)
            : TunnelDestination.FromAddress(address.IPAddress!, port);

        refusal = Socks5ReplyCode.Succeeded;
        return true;
    }
}
