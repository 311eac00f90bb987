namespace AwgProxy.Socks5;

/// <summary>Establishes the destination connection of an authenticated CONNECT request.</summary>
public interface ISocks5ConnectHandler
{
    /// <summary>
    /// Connects to <see cref="Socks5ConnectRequest.DestinationAddress"/>:<see cref="Socks5ConnectRequest.DestinationPort"/>.
    /// Domain names arrive unresolved.
    /// </summary>
    /// <returns>
    /// <see cref="Socks5ConnectResult.Success(ISocks5Upstream)"/> with the upstream connection, or
    /// <see cref="Socks5ConnectResult.Failure(Protocol.Socks5ReplyCode)"/> with the REP that tells the truth
    /// (X'02' ruleset, X'03' network unreachable, X'04' host unreachable, X'05' refused, X'06' timed out, ...).
    /// </returns>
    /// <remarks>
    /// <paramref name="cancellationToken"/> fires at the connect timeout (the client then gets X'06') and when
    /// the server stops. A <see cref="System.Net.Sockets.SocketException"/> is answered with the code its
    /// error maps to (<see cref="SocketErrorExtensions.ToSocks5ReplyCode"/>), any other exception with X'01'.
    /// </remarks>
    ValueTask<Socks5ConnectResult> ConnectAsync(Socks5ConnectRequest request, CancellationToken cancellationToken);
}
