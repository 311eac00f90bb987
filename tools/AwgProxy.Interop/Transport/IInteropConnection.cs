using System.Net;
using AwgProxy.Quic.Crypto;

namespace AwgProxy.Interop.Transport;

/// <summary>
/// An established QUIC connection (handshake complete), the shape of System.Net.Quic's QuicConnection.
/// </summary>
public interface IInteropConnection : IAsyncDisposable
{
    /// <summary>The ALPN protocol both sides agreed on, e.g. "interop-test" or "h3".</summary>
    string NegotiatedAlpn { get; }

    /// <summary>The TLS 1.3 cipher suite in use, or null if the transport does not say.</summary>
    CipherSuite? NegotiatedCipherSuite { get; }

    /// <summary>The key exchange group of the handshake, or null if the transport does not say.</summary>
    InteropKeyExchangeGroup? NegotiatedGroup { get; }

    /// <summary>The peer's address, or null if the transport does not say.</summary>
    EndPoint? RemoteEndPoint { get; }

    /// <summary>
    /// A one-line summary of the transport's counters (the server prints it with <c>-v</c> when a connection
    /// ends, e.g. <c>key_updates=1 path_migrations=1</c>), or null if the transport keeps none.
    /// </summary>
    string? StatisticsSummary => null;

    /// <summary>Opens a bidirectional stream, waiting for stream credit (MAX_STREAMS) if needed.</summary>
    ValueTask<InteropStream> OpenBidirectionalStreamAsync(CancellationToken cancellationToken = default);

    /// <summary>Opens a unidirectional (send-only) stream, waiting for stream credit if needed.</summary>
    ValueTask<InteropStream> OpenUnidirectionalStreamAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits for the next stream the peer opens, bidirectional or unidirectional
    /// (<see cref="InteropStream.Type"/> says which). Throws an <see cref="IOException"/> once the connection
    /// is closed or lost, and <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    ValueTask<InteropStream> AcceptStreamAsync(CancellationToken cancellationToken = default);

    /// <summary>Closes the connection with an application error code (CONNECTION_CLOSE type 0x1d).</summary>
    ValueTask CloseAsync(long errorCode, CancellationToken cancellationToken = default);
}
