namespace AwgProxy.Socks5;

/// <summary>
/// The destination side of a CONNECT: a duplex byte stream with half-close and abort, returned by
/// <see cref="ISocks5ConnectHandler"/> (a QUIC stream in the client runtime, a TCP socket in tests).
/// </summary>
/// <remarks>
/// The server relays bytes between the client socket and <see cref="Stream"/>, and maps the ends of the
/// byte streams both ways:
/// <list type="bullet">
/// <item>client FIN → <see cref="CompleteWritesAsync"/>; <see cref="Stream"/> reads returning 0 → shutdown(SEND) on the client;</item>
/// <item>client RST or a failed client read/write → <see cref="Abort"/>; a <see cref="Stream"/> read or write that
/// throws (the upstream was reset) → the client socket is closed with RST (linger 0).</item>
/// </list>
/// The server reads and writes <see cref="Stream"/> from at most one reader and one writer at a time, may issue
/// zero-byte reads to wait for data without a buffer, calls FlushAsync when its input goes idle, and always
/// calls <see cref="IAsyncDisposable.DisposeAsync"/> last.
/// </remarks>
public interface ISocks5Upstream : IAsyncDisposable
{
    /// <summary>Reads: bytes from the destination (0 = it finished sending). Writes: bytes to the destination.</summary>
    Stream Stream { get; }

    /// <summary>Half-closes: no more bytes will be written (TCP FIN, QUIC STREAM FIN); reads continue.</summary>
    ValueTask CompleteWritesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Abortive close of both directions (TCP RST, QUIC RESET_STREAM + STOP_SENDING). Pending and later reads
    /// and writes fail. Idempotent; must not throw.
    /// </summary>
    void Abort();
}
