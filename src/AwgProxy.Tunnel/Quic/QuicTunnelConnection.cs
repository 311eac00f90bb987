using System.Net;
using AwgProxy.Quic.Transport;

namespace AwgProxy.Tunnel.Quic;

/// <summary>
/// <see cref="ITunnelConnection"/> over a <see cref="QuicConnection"/> with ALPN <c>awgproxy/1</c>
/// (docs/protocol.md section 11): streams are bidirectional QUIC streams, <see cref="AcceptStreamAsync"/>
/// returns null once the connection has ended for any reason, and <see cref="OpenStreamAsync"/> throws
/// <see cref="TunnelConnectionClosedException"/> then. The adapter owns the connection.
/// </summary>
public sealed class QuicTunnelConnection : ITunnelConnection
{
    private readonly QuicConnection _connection;

    /// <summary>Wraps <paramref name="connection"/>, whose authenticated peer is called <paramref name="peerIdentity"/>.</summary>
    public QuicTunnelConnection(QuicConnection connection, string peerIdentity)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(peerIdentity);
        _connection = connection;
        PeerIdentity = peerIdentity;
    }

    /// <summary>The QUIC connection underneath (statistics, close reason).</summary>
    public QuicConnection Connection => _connection;

    /// <inheritdoc/>
    public EndPoint RemoteEndPoint => _connection.RemoteEndPoint;

    /// <inheritdoc/>
    public string PeerIdentity { get; }

    /// <inheritdoc/>
    public Task Closed => _connection.Closed;

    /// <inheritdoc/>
    public async ValueTask<ITunnelStream> OpenStreamAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            QuicStream stream = await _connection.OpenOutboundStreamAsync(QuicStreamType.Bidirectional, cancellationToken).ConfigureAwait(false);
            return new QuicTunnelStream(stream, _connection);
        }
        catch (QuicException e)
        {
            throw QuicExceptionMapping.Closed(e);
        }
        catch (ObjectDisposedException e)
        {
            throw new TunnelConnectionClosedException("The tunnel connection was disposed.", e);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<bool> MigrateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _connection.RebindAsync(null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or QuicException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<ITunnelStream?> AcceptStreamAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            QuicStream stream;
            try
            {
                stream = await _connection.AcceptInboundStreamAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (QuicException)
            {
                return null;
            }
            catch (ObjectDisposedException)
            {
                return null;
            }

            if (stream.Type == QuicStreamType.Bidirectional)
            {
                return new QuicTunnelStream(stream, _connection);
            }

            // awgproxy/1 has no unidirectional streams (their limit is 0); should one arrive, refuse it.
            stream.Abort(QuicAbortDirection.Read, Protocol.TunnelErrorCode.ProtocolError);
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask CloseAsync(long errorCode, CancellationToken cancellationToken = default)
    {
        try
        {
            await _connection.CloseAsync(errorCode, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <inheritdoc/>
    public override string ToString() => $"QuicTunnelConnection {PeerIdentity}";
}
