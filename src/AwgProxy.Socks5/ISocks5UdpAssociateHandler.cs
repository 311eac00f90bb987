namespace AwgProxy.Socks5;

/// <summary>
/// Serves UDP ASSOCIATE (RFC 1928 §7). Optional: without one, the server answers the command with X'07'
/// (command not supported).
/// </summary>
/// <remarks>
/// The handler sets up a UDP relay and returns its address, which the server sends as BND.ADDR/BND.PORT. The
/// server then keeps the TCP connection open and disposes the association when that connection ends ("A UDP
/// association terminates when the TCP connection that the UDP ASSOCIATE request arrived on terminates") or
/// when the server stops.
/// </remarks>
public interface ISocks5UdpAssociateHandler
{
    /// <summary>Creates the association; see <see cref="ISocks5ConnectHandler.ConnectAsync"/> for cancellation and errors.</summary>
    ValueTask<Socks5UdpAssociateResult> AssociateAsync(Socks5UdpAssociateRequest request, CancellationToken cancellationToken);
}
