namespace AwgProxy.Quic.Transport.Paths;

/// <summary>
/// An optional capability of an <see cref="IDatagramPath"/>: receiving by blocking the calling thread in the kernel.
/// A driver that finds it runs its receive loop on a thread of its own that sleeps in the system call until datagrams
/// arrive, handles them and sends the answers, with no hop through an event loop or the thread pool per batch (the
/// model of quinn's and ngtcp2's endpoint loops). Paths without it are received with
/// <see cref="IDatagramPath.ReceiveBatchAsync"/>.
/// </summary>
/// <remarks>
/// The same threading contract as <see cref="IDatagramPath.ReceiveBatchAsync"/>: one receiver at a time. Disposing the
/// path wakes a blocked receiver, which then throws <see cref="ObjectDisposedException"/> (or returns 0 once).
/// </remarks>
public interface IBlockingDatagramReceiver
{
    /// <summary>Whether <see cref="ReceiveBatch"/> may be used on this path (a decorator asks its inner path).</summary>
    bool SupportsBlockingReceive { get; }

    /// <summary>
    /// Waits up to <paramref name="timeoutMilliseconds"/> for datagrams, then fills as many slots of
    /// <paramref name="batch"/> as are ready, like <see cref="IDatagramPath.ReceiveBatchAsync"/>. Returns the number of
    /// filled slots; 0 when nothing arrived in time (or a decorator dropped everything that did).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The path was disposed.</exception>
    /// <exception cref="IOException">The socket failed.</exception>
    int ReceiveBatch(DatagramBatch batch, int timeoutMilliseconds);
}
