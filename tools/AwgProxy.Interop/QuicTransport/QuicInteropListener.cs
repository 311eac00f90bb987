using System.Net;
using AwgProxy.Interop.Transport;
using AwgProxy.Quic.Transport;

namespace AwgProxy.Interop.QuicTransport;

/// <summary>An <see cref="IInteropListener"/> over a <see cref="QuicListener"/>.</summary>
internal sealed class QuicInteropListener(QuicListener listener) : IInteropListener
{
    public EndPoint LocalEndPoint => listener.LocalEndPoint;

    public async ValueTask<IInteropConnection> AcceptConnectionAsync(CancellationToken cancellationToken = default) =>
        new QuicInteropConnection(await listener.AcceptConnectionAsync(cancellationToken).ConfigureAwait(false));

    public ValueTask DisposeAsync() => listener.DisposeAsync();
}
