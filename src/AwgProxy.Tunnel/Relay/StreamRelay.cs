using System.Buffers;
using AwgProxy.Tunnel.Protocol;

namespace AwgProxy.Tunnel.Relay;

/// <summary>
/// Moves bytes both ways between a tunnel stream and a TCP connection until both directions end,
/// one side fails, nothing moves for the idle timeout, or the caller cancels.
/// </summary>
/// <remarks>
/// <para>Each direction is a copy loop in the style of YARP's StreamCopier: while idle it waits with a
/// zero-byte read and holds no buffer; it rents one from <see cref="ArrayPool{T}"/> only when data is
/// there and returns it when the source goes quiet again. Every read and write that moves bytes
/// pushes the shared idle deadline back (timers come from the <see cref="TimeProvider"/>).</para>
/// <para>Close mapping (docs/protocol.md, "Stream lifecycle"):</para>
/// <list type="bullet">
/// <item>End of stream on one side (QUIC FIN, TCP FIN) → <see cref="IDuplexStream.CompleteWrites"/> on
/// the other; the opposite direction keeps going (half-close).</item>
/// <item>The tunnel side fails (the peer's RESET_STREAM/STOP_SENDING, connection loss) → the TCP side
/// is reset and the tunnel stream aborted both ways, echoing the peer's code when it sent one.</item>
/// <item>The TCP side fails (RST, error) → the tunnel stream is aborted both ways with the
/// caller's <c>tcpFailureCode</c> (server: <see cref="TunnelErrorCode.UpstreamReset"/>, client:
/// <see cref="TunnelErrorCode.ClientAborted"/>) and the TCP side reset.</item>
/// <item>Idle timeout → both aborted with <see cref="TunnelErrorCode.IdleTimeout"/>; cancellation → both
/// aborted with the caller's <c>cancelCode</c>.</item>
/// </list>
/// <para>The relay never disposes the streams; the caller does, after it returns.</para>
/// </remarks>
public sealed class StreamRelay
{
    /// <summary>64 KiB, YARP's measured sweet spot for one copy buffer.</summary>
    public const int DefaultBufferSize = 64 * 1024;

    private readonly TimeSpan _idleTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly int _bufferSize;

    /// <param name="idleTimeout">Positive, or <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="timeProvider">The clock for the idle timer.</param>
    /// <param name="bufferSize">Bytes per rented copy buffer.</param>
    public StreamRelay(TimeSpan idleTimeout, TimeProvider timeProvider, int bufferSize = DefaultBufferSize)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (idleTimeout <= TimeSpan.Zero && idleTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(idleTimeout), idleTimeout, "Must be positive or infinite.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        _idleTimeout = idleTimeout;
        _timeProvider = timeProvider;
        _bufferSize = bufferSize;
    }

    /// <summary>Relays until both directions end or one fails; never throws for I/O failures.</summary>
    /// <param name="tunnel">The QUIC stream.</param>
    /// <param name="tcp">The TCP connection (the upstream on the server, the application on the client).</param>
    /// <param name="tcpFailureCode">Error code for aborting the tunnel stream when the TCP side fails.</param>
    /// <param name="cancelCode">Error code for aborting the tunnel stream when <paramref name="cancellationToken"/> fires.</param>
    /// <param name="cancellationToken">Ends the relay (shutdown).</param>
    public async Task<RelayResult> RunAsync(
        IDuplexStream tunnel,
        IDuplexStream tcp,
        long tcpFailureCode,
        long cancelCode,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tunnel);
        ArgumentNullException.ThrowIfNull(tcp);

        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        var activity = new Activity(idle, _idleTimeout);
        activity.Reset();

        Task<CopyResult> tunnelToTcp = CopyAsync(tunnel, tcp, activity, linked.Token);
        Task<CopyResult> tcpToTunnel = CopyAsync(tcp, tunnel, activity, linked.Token);

        Task<CopyResult> first = await Task.WhenAny(tunnelToTcp, tcpToTunnel).ConfigureAwait(false);
        Task<CopyResult> second = first == tunnelToTcp ? tcpToTunnel : tunnelToTcp;

        Failure? failure = Classify(first == tunnelToTcp, await first.ConfigureAwait(false), idle, cancellationToken);
        if (failure is { } f)
        {
            AbortBoth(f, tunnel, tcp, tcpFailureCode, cancelCode);
            await linked.CancelAsync().ConfigureAwait(false);
        }

        CopyResult secondResult = await second.ConfigureAwait(false);
        if (failure is null)
        {
            failure = Classify(second == tunnelToTcp, secondResult, idle, cancellationToken);
            if (failure is { } g)
            {
                AbortBoth(g, tunnel, tcp, tcpFailureCode, cancelCode);
            }
        }

        long down = tunnelToTcp.Result.Bytes;
        long up = tcpToTunnel.Result.Bytes;
        return failure is { } final
            ? new RelayResult(final.Outcome, down, up, final.PeerErrorCode, final.Error)
            : new RelayResult(RelayOutcome.Completed, down, up, null, null);
    }

    private static Failure? Classify(bool fromTunnel, CopyResult result, CancellationTokenSource idle, CancellationToken cancellationToken)
    {
        if (result.Kind == CopyKind.Completed)
        {
            return null;
        }

        // A deadline or a shutdown explains whatever error it provoked.
        if (cancellationToken.IsCancellationRequested)
        {
            return new Failure(RelayOutcome.Canceled, null, result.Error);
        }

        if (idle.IsCancellationRequested)
        {
            return new Failure(RelayOutcome.IdleTimeout, null, result.Error);
        }

        bool tunnelSide = fromTunnel == (result.Kind == CopyKind.InputFailed);
        if (tunnelSide)
        {
            long? code = (result.Error as TunnelStreamAbortedException)?.ErrorCode;
            return new Failure(RelayOutcome.TunnelFailed, code, result.Error);
        }

        return new Failure(RelayOutcome.TcpFailed, null, result.Error);
    }

    private static void AbortBoth(Failure failure, IDuplexStream tunnel, IDuplexStream tcp, long tcpFailureCode, long cancelCode)
    {
        long code = failure.Outcome switch
        {
            RelayOutcome.TunnelFailed => failure.PeerErrorCode ?? TunnelErrorCode.InternalError,
            RelayOutcome.TcpFailed => tcpFailureCode,
            RelayOutcome.IdleTimeout => TunnelErrorCode.IdleTimeout,
            _ => cancelCode,
        };

        // Abort is idempotent and never throws by contract; the TCP side goes first when it failed so
        // the tunnel peer learns of it with our code, not with a follow-on error.
        if (failure.Outcome == RelayOutcome.TcpFailed)
        {
            tunnel.Abort(TunnelAbortDirection.Both, code);
            tcp.Abort(TunnelAbortDirection.Both, code);
        }
        else
        {
            tcp.Abort(TunnelAbortDirection.Both, code);
            tunnel.Abort(TunnelAbortDirection.Both, code);
        }
    }

    private async Task<CopyResult> CopyAsync(IDuplexStream input, IDuplexStream output, Activity activity, CancellationToken cancellationToken)
    {
        // Let both loops start before either does real work, so a synchronous stream cannot run one
        // direction to completion on the caller's thread.
        await Task.Yield();

        byte[]? buffer = null;
        long total = 0;
        bool reading = true;
        try
        {
            while (true)
            {
                reading = true;
                if (buffer is null)
                {
                    // Idle: wait for data without holding a buffer.
                    await input.ReadAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
                    buffer = ArrayPool<byte>.Shared.Rent(_bufferSize);
                }

                int read = await input.ReadAsync(buffer.AsMemory(0, _bufferSize), cancellationToken).ConfigureAwait(false);
                reading = false;
                if (read == 0)
                {
                    output.CompleteWrites();
                    return new CopyResult(CopyKind.Completed, total, null);
                }

                activity.Reset();
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                total += read;
                activity.Reset();

                // More data already there? Keep the buffer; otherwise give it back while we wait.
                reading = true;
                ValueTask<int> zeroByteRead = input.ReadAsync(Memory<byte>.Empty, cancellationToken);
                if (zeroByteRead.IsCompletedSuccessfully)
                {
                    _ = zeroByteRead.Result;
                }
                else
                {
                    byte[] toReturn = buffer;
                    buffer = null;
                    ArrayPool<byte>.Shared.Return(toReturn);
                    await zeroByteRead.ConfigureAwait(false);
                    buffer = ArrayPool<byte>.Shared.Rent(_bufferSize);
                }
            }
        }
        catch (Exception ex)
        {
            return new CopyResult(reading ? CopyKind.InputFailed : CopyKind.OutputFailed, total, ex);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private enum CopyKind
    {
        Completed,
        InputFailed,
        OutputFailed,
    }

    private readonly record struct CopyResult(CopyKind Kind, long Bytes, Exception? Error);

    private readonly record struct Failure(RelayOutcome Outcome, long? PeerErrorCode, Exception? Error);

    /// <summary>The idle deadline shared by both directions.</summary>
    private sealed class Activity(CancellationTokenSource idle, TimeSpan timeout)
    {
        public void Reset()
        {
            if (timeout == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            try
            {
                idle.CancelAfter(timeout);
            }
            catch (ObjectDisposedException)
            {
                // The relay is over.
            }
        }
    }
}
