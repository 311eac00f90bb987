namespace AwgProxy.Interop.Transport;

/// <summary>
/// Creates QUIC endpoints for the interop tool. The integrator implements this over the project's QUIC
/// transport and installs it in <see cref="InteropTransport.Factory"/>; the tests use an in-memory one.
/// </summary>
public interface IInteropTransportFactory
{
    /// <summary>
    /// Connects and completes the handshake. Throws (any exception; its message becomes the
    /// <c>RESULT fail dial: …</c> reason) when the handshake fails or the ALPN offer is refused.
    /// </summary>
    ValueTask<IInteropConnection> ConnectAsync(InteropClientOptions options, CancellationToken cancellationToken = default);

    /// <summary>Binds a listener; connections are accepted with <see cref="IInteropListener.AcceptConnectionAsync"/>.</summary>
    ValueTask<IInteropListener> ListenAsync(InteropServerOptions options, CancellationToken cancellationToken = default);
}
