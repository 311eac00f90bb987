using AwgProxy.Socks5;
using AwgProxy.Tunnel.Protocol;

namespace AwgProxy.Tunnel.Socks;

/// <summary>
/// The upstream of a SOCKS5 CONNECT served through the tunnel: the open tunnel stream. The SOCKS5 server's
/// half-close maps to the stream's FIN, its abort to RESET_STREAM + STOP_SENDING with CLIENT_ABORTED (0x2).
/// Owns the stream.
/// </summary>
internal sealed class TunnelSocks5Upstream : ISocks5Upstream
{
    private readonly ITunnelStream _stream;

    public TunnelSocks5Upstream(ITunnelStream stream)
    {
        _stream = stream;
        Stream = new DuplexStreamAdapter(stream);
    }

    public Stream Stream { get; }

    public ValueTask CompleteWritesAsync(CancellationToken cancellationToken)
    {
        _stream.CompleteWrites();
        return ValueTask.CompletedTask;
    }

    public void Abort() => _stream.Abort(TunnelAbortDirection.Both, TunnelErrorCode.ClientAborted);

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
