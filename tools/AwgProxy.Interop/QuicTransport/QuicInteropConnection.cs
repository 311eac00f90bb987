using System.Net;
using System.Text;
using AwgProxy.Interop.Transport;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Transport;

namespace AwgProxy.Interop.QuicTransport;

/// <summary>An <see cref="IInteropConnection"/> over a <see cref="QuicConnection"/>.</summary>
internal sealed class QuicInteropConnection(QuicConnection connection) : IInteropConnection
{
    public string NegotiatedAlpn => Encoding.UTF8.GetString(connection.NegotiatedApplicationProtocol.Protocol.Span);

    /// <summary>Not exposed by the transport yet.</summary>
    public CipherSuite? NegotiatedCipherSuite => null;

    /// <summary>Not exposed by the transport yet.</summary>
    public InteropKeyExchangeGroup? NegotiatedGroup => null;

    public EndPoint? RemoteEndPoint => connection.RemoteEndPoint;

    public async ValueTask<InteropStream> OpenBidirectionalStreamAsync(CancellationToken cancellationToken = default) =>
        new QuicInteropStream(await connection.OpenOutboundStreamAsync(QuicStreamType.Bidirectional, cancellationToken).ConfigureAwait(false));

    public async ValueTask<InteropStream> OpenUnidirectionalStreamAsync(CancellationToken cancellationToken = default) =>
        new QuicInteropStream(await connection.OpenOutboundStreamAsync(QuicStreamType.Unidirectional, cancellationToken).ConfigureAwait(false));

    /// <summary>The next peer stream; a <see cref="QuicException"/> (an <see cref="IOException"/>) once the connection has ended.</summary>
    public async ValueTask<InteropStream> AcceptStreamAsync(CancellationToken cancellationToken = default) =>
        new QuicInteropStream(await connection.AcceptInboundStreamAsync(cancellationToken).ConfigureAwait(false));

    public ValueTask CloseAsync(long errorCode, CancellationToken cancellationToken = default) => connection.CloseAsync(errorCode, cancellationToken);

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
