namespace AwgProxy.Tunnel;

/// <summary>
/// Creates the client's tunnel connection to the server (QUIC handshake, server key pinning,
/// client authentication, ALPN <c>awgproxy/1</c>). Throws when the connection cannot be made; the
/// client retries with backoff.
/// </summary>
public interface ITunnelConnectionFactory
{
    ValueTask<ITunnelConnection> ConnectAsync(CancellationToken cancellationToken);
}
