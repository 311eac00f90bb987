using System.Buffers;
using System.Net.Sockets;

namespace AwgProxy.Socks5;

/// <summary>
/// Moves bytes both ways between a client socket and an <see cref="ISocks5Upstream"/> after a successful
/// CONNECT, and maps how each byte stream ends onto the other side.
/// </summary>
/// <remarks>
/// Each direction is a pump in the style of YARP's StreamCopier: while idle it waits with a zero-byte read
/// and holds no buffer; it rents one from the shared pool only once data is there, and returns it as soon as
/// the input goes quiet again. A pump never throws: it reports whether it ended cleanly (its input's FIN,
/// passed on as a half-close), or which side failed.
/// <code>
/// client FIN            → upstream CompleteWritesAsync       (the other direction goes on)
/// upstream read = 0     → client shutdown(SEND)              (the other direction goes on)
/// client RST / failure  → upstream Abort, client closed with RST
/// upstream failure      → upstream Abort, client closed with RST (linger 0)
/// idle timeout, abort   → the same as a failure
/// </code>
/// The relay ends when both directions have ended.
/// </remarks>
internal sealed class Socks5Relay
{
    private readonly Socket _client;
    private readonly ISocks5Upstream _upstream;
    private readonly int _bufferSize;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan? _idleTimeout;
    private readonly Socks5Metrics? _metrics;
    private readonly CancellationTokenSource _cancellation;
    private readonly CancellationToken _abortToken;
    private ITimer? _idleTimer;
    private long _lastActivity;
    private volatile bool _idleTimedOut;

    public Socks5Relay(
        Socket client,
        ISocks5Upstream upstream,
        int bufferSize,
        TimeProvider timeProvider,
        TimeSpan? idleTimeout,
        Socks5Metrics? metrics,
        CancellationToken abortToken)
    {
        _client = client;
        _upstream = upstream;
        _bufferSize = bufferSize;
        _timeProvider = timeProvider;
        _idleTimeout = idleTimeout;
        _metrics = metrics;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(abortToken);
        _abortToken = abortToken;
    }

    private enum PumpResult
    {
        Completed,
        ClientFailed,
        UpstreamFailed,
        Canceled,
    }

    /// <summary>Bytes relayed from the client to the upstream.</summary>
    public long BytesIn { get; private set; }

    /// <summary>Bytes relayed from the upstream to the client.</summary>
    public long BytesOut { get; private set; }

    /// <summary>The exception that ended the relay abortively, if one did.</summary>
    public Exception? Error { get; private set; }

    public async Task<Socks5SessionOutcome> RunAsync()
    {
        try
        {
            if (_idleTimeout is TimeSpan idleTimeout)
            {
                _lastActivity = _timeProvider.GetTimestamp();
                _idleTimer = _timeProvider.CreateTimer(static state => ((Socks5Relay)state!).OnIdleTimer(), this, idleTimeout, Timeout.InfiniteTimeSpan);
            }

            Task<(PumpResult, Exception?)> clientToUpstream = PumpClientToUpstreamAsync(_cancellation.Token);
            Task<(PumpResult, Exception?)> upstreamToClient = PumpUpstreamToClientAsync(_cancellation.Token);

            Task<(PumpResult, Exception?)> first = await Task.WhenAny(clientToUpstream, upstreamToClient).ConfigureAwait(false);
            (PumpResult firstResult, Exception? firstError) = await first.ConfigureAwait(false);
            bool upstreamAborted = false;
            if (firstResult != PumpResult.Completed)
            {
                // Stop the other direction now; it is not going to end on its own.
                await _cancellation.CancelAsync().ConfigureAwait(false);
                _upstream.Abort();
                upstreamAborted = true;
            }

            Task<(PumpResult, Exception?)> second = first == clientToUpstream ? upstreamToClient : clientToUpstream;
            (PumpResult secondResult, Exception? secondError) = await second.ConfigureAwait(false);
            if (firstResult == PumpResult.Completed && secondResult == PumpResult.Completed)
            {
                return Socks5SessionOutcome.Completed;
            }

            if (!upstreamAborted)
            {
                _upstream.Abort();
            }

            _client.ResetAndDispose();

            // The first failure is the cause; a cancellation is a consequence unless nothing else failed.
            (PumpResult cause, Exception? error) = firstResult is PumpResult.Completed or PumpResult.Canceled
                ? (secondResult, secondError)
                : (firstResult, firstError);
            Error = error;
            if (_idleTimedOut)
            {
                return Socks5SessionOutcome.IdleTimeout;
            }

            if (_abortToken.IsCancellationRequested)
            {
                return Socks5SessionOutcome.ServerShutdown;
            }

            return cause == PumpResult.UpstreamFailed ? Socks5SessionOutcome.UpstreamAborted : Socks5SessionOutcome.ClientAborted;
        }
        finally
        {
            _idleTimer?.Dispose();
            _cancellation.Dispose();
        }
    }

    private async Task<(PumpResult, Exception?)> PumpClientToUpstreamAsync(CancellationToken cancellationToken)
    {
        Stream output = _upstream.Stream;
        byte[]? buffer = null;
        bool reading = true;
        bool unflushed = false;
        try
        {
            while (true)
            {
                reading = true;
                ValueTask<int> wait = _client.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancellationToken);
                if (!wait.IsCompletedSuccessfully)
                {
                    // The client is quiet: give the buffer back and push out what was written so far.
                    ReturnBuffer(ref buffer);
                    if (unflushed)
                    {
                        reading = false;
                        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                        unflushed = false;
                        reading = true;
                    }
                }

                await wait.ConfigureAwait(false);
                buffer ??= ArrayPool<byte>.Shared.Rent(_bufferSize);
                int read = await _client.ReceiveAsync(buffer.AsMemory(0, _bufferSize), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                MarkActivity();
                BytesIn += read;
                _metrics?.BytesIn(read);

                reading = false;
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                unflushed = true;
                MarkActivity();
            }

            // The client sent FIN: half-close the upstream; the other direction goes on.
            reading = false;
            ReturnBuffer(ref buffer);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            await _upstream.CompleteWritesAsync(cancellationToken).ConfigureAwait(false);
            return (PumpResult.Completed, null);
        }
        catch (Exception ex)
        {
            return (Classify(ex, reading ? PumpResult.ClientFailed : PumpResult.UpstreamFailed), ex);
        }
        finally
        {
            ReturnBuffer(ref buffer);
        }
    }

    private async Task<(PumpResult, Exception?)> PumpUpstreamToClientAsync(CancellationToken cancellationToken)
    {
        Stream input = _upstream.Stream;
        byte[]? buffer = null;
        bool reading = true;
        try
        {
            while (true)
            {
                reading = true;

                // A stream that cannot wait on a zero-byte read completes it at once; that only costs the saving.
                ValueTask<int> wait = input.ReadAsync(Memory<byte>.Empty, cancellationToken);
                if (!wait.IsCompletedSuccessfully)
                {
                    ReturnBuffer(ref buffer);
                }

                await wait.ConfigureAwait(false);
                buffer ??= ArrayPool<byte>.Shared.Rent(_bufferSize);
                int read = await input.ReadAsync(buffer.AsMemory(0, _bufferSize), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                MarkActivity();
                reading = false;
                await _client.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                BytesOut += read;
                _metrics?.BytesOut(read);
                MarkActivity();
            }

            // The upstream finished sending: FIN to the client; the other direction goes on.
            reading = false;
            _client.Shutdown(SocketShutdown.Send);
            return (PumpResult.Completed, null);
        }
        catch (Exception ex)
        {
            return (Classify(ex, reading ? PumpResult.UpstreamFailed : PumpResult.ClientFailed), ex);
        }
        finally
        {
            ReturnBuffer(ref buffer);
        }
    }

    private PumpResult Classify(Exception exception, PumpResult failedSide) =>
        exception is OperationCanceledException && _cancellation.IsCancellationRequested ? PumpResult.Canceled : failedSide;

    private static void ReturnBuffer(ref byte[]? buffer)
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }
    }

    private void MarkActivity()
    {
        if (_idleTimer is not null)
        {
            Volatile.Write(ref _lastActivity, _timeProvider.GetTimestamp());
        }
    }

    private void OnIdleTimer()
    {
        TimeSpan idleTimeout = _idleTimeout!.Value;
        TimeSpan idle = _timeProvider.GetElapsedTime(Volatile.Read(ref _lastActivity));
        try
        {
            if (idle >= idleTimeout)
            {
                _idleTimedOut = true;
                _cancellation.Cancel();
            }
            else
            {
                _idleTimer?.Change(idleTimeout - idle, Timeout.InfiniteTimeSpan);
            }
        }
        catch (ObjectDisposedException)
        {
            // The relay ended while the timer fired.
        }
    }
}
