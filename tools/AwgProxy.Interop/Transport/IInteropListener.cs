using System.Net;

namespace AwgProxy.Interop.Transport;

/// <summary>A bound QUIC server endpoint, the shape of System.Net.Quic's QuicListener.</summary>
public interface IInteropListener : IAsyncDisposable
{
    /// <summary>The UDP address actually bound (port 0 resolved).</summary>
    EndPoint LocalEndPoint { get; }

    /// <summary>
    /// Waits for the next connection whose handshake has completed. Throws
    /// <see cref="OperationCanceledException"/> when cancelled and <see cref="ObjectDisposedException"/>
    /// after disposal.
    /// </summary>
    ValueTask<IInteropConnection> AcceptConnectionAsync(CancellationToken cancellationToken = default);
}
