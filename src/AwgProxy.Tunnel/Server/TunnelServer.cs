using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using AwgProxy.Tunnel.Protocol;
using AwgProxy.Tunnel.Relay;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AwgProxy.Tunnel.Server;

/// <summary>
/// Serves authenticated tunnel connections: accepts each stream, reads its request under the
/// request timeout, enforces the per-client stream limit, dials the destination through the
/// egress policy, answers with the status, and relays until the proxied connection ends.
/// </summary>
/// <remarks>
/// Per stream (docs/protocol.md, "Server behaviour"):
/// <list type="number">
/// <item>Over <see cref="TunnelServerOptions.MaxStreamsPerClient"/> → response 2 (not allowed by
/// ruleset), FIN, STOP_SENDING LimitExceeded; the request is not read. Counted and logged.</item>
/// <item>No whole request within <see cref="TunnelServerOptions.RequestTimeout"/> → reset both ways
/// with RequestTimeout (0x6). A malformed request, or a FIN before a whole one → ProtocolError (0x3).</item>
/// <item>A command other than CONNECT → response 7, FIN.</item>
/// <item>Dial failure or refusal → its status, FIN, STOP_SENDING NoError.</item>
/// <item>Success → response 0, then the relay; bytes that followed the request are forwarded first.</item>
/// </list>
/// </remarks>
public sealed class TunnelServer
{
    /// <summary>The <c>awgproxy.limit</c> tag value for <see cref="TunnelServerOptions.MaxStreamsPerClient"/>.</summary>
    public const string StreamsPerClientLimit = "streams_per_client";

    /// <summary>The <c>awgproxy.limit</c> tag value for <see cref="TunnelServerOptions.MaxStreamsPerConnection"/>.</summary>
    public const string StreamsPerConnectionLimit = "streams_per_connection";

    // Every possible response, encoded once (they are two constant bytes each).
    private static readonly byte[][] s_responses = EncodeResponses();

    private readonly TunnelServerOptions _options;
    private readonly UpstreamDialer _dialer;
    private readonly ILogger _logger;
    private readonly TunnelServerMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ClientStreamLimiter _limiter;
    private readonly StreamRelay _relay;

    public TunnelServer(
        TunnelServerOptions options,
        UpstreamDialer dialer,
        TunnelServerMetrics metrics,
        ILogger<TunnelServer>? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dialer);
        ArgumentNullException.ThrowIfNull(metrics);
        _options = options;
        _dialer = dialer;
        _metrics = metrics;
        _logger = logger ?? NullLogger<TunnelServer>.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _limiter = new ClientStreamLimiter(options.MaxStreamsPerClient);
        _relay = new StreamRelay(options.IdleTimeout, _timeProvider, options.RelayBufferSize);
    }

    /// <summary>Streams the client currently holds (accepted and not yet finished).</summary>
    public int GetActiveStreams(string clientIdentity) => _limiter.GetActive(clientIdentity);

    /// <summary>
    /// Serves one connection until the peer closes it or <paramref name="cancellationToken"/> fires
    /// (then it closes the connection with ServerShuttingDown (0x10)); returns after every stream
    /// of it has finished. Never throws for network failures.
    /// </summary>
    public async Task HandleConnectionAsync(ITunnelConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        string client = connection.PeerIdentity;
        long started = _timeProvider.GetTimestamp();
        TunnelServerLog.ConnectionStarted(_logger, client, connection.RemoteEndPoint);

        var running = new HashSet<Task>();
        var runningLock = new Lock();
        long streams = 0;
        var servingBox = new StrongBox<int>(); // streams being served (refusals not counted)
        try
        {
            while (true)
            {
                ITunnelStream? stream;
                try
                {
                    stream = await connection.AcceptStreamAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (IOException)
                {
                    break;
                }

                if (stream is null)
                {
                    break;
                }

                streams++;
                Task task;
                if (Volatile.Read(ref servingBox.Value) >= _options.MaxStreamsPerConnection)
                {
                    // QUIC's own stream limit leaves some headroom above this one, so that the stream
                    // gets an answer here instead of waiting on the client for flow-control credit.
                    task = RefuseOverConnectionLimitAsync(client, stream);
                }
                else
                {
                    Interlocked.Increment(ref servingBox.Value);
                    task = HandleStreamAsync(client, stream, cancellationToken);
                    _ = task.ContinueWith(
                        static (_, state) => Interlocked.Decrement(ref ((StrongBox<int>)state!).Value),
                        servingBox,
                        CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default);
                }

                lock (runningLock)
                {
                    running.Add(task);
                }

                _ = task.ContinueWith(
                    t =>
                    {
                        lock (runningLock)
                        {
                            running.Remove(t);
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }
        finally
        {
            if (cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await connection.CloseAsync(TunnelErrorCode.ServerShuttingDown, CancellationToken.None).ConfigureAwait(false);
                }
                catch (IOException)
                {
                }
            }

            Task[] remaining;
            lock (runningLock)
            {
                remaining = [.. running];
            }

            await Task.WhenAll(remaining).ConfigureAwait(false);
            TunnelServerLog.ConnectionEnded(_logger, client, streams, (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private async Task HandleStreamAsync(string client, ITunnelStream stream, CancellationToken cancellationToken)
    {
        // Off the accept loop at once.
        await Task.Yield();
        long started = _timeProvider.GetTimestamp();
        await using (stream.ConfigureAwait(false))
        {
            if (!_limiter.TryAcquire(client))
            {
                TunnelServerLog.StreamLimitReached(_logger, client, _limiter.Limit, stream.Id);
                _metrics.LimitHit(client, StreamsPerClientLimit);
                await TryRefuseAsync(stream, TunnelStatus.NotAllowedByRuleset, TunnelErrorCode.LimitExceeded, started, client).ConfigureAwait(false);
                return;
            }

            try
            {
                await ServeAsync(client, stream, started, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                stream.Abort(TunnelAbortDirection.Both, TunnelErrorCode.ServerShuttingDown);
            }
            catch (IOException ex)
            {
                // The peer reset the stream or the connection went away before the relay started.
                TunnelServerLog.StreamAborted(_logger, client, stream.Id, ex);
                stream.Abort(TunnelAbortDirection.Both, TunnelErrorCode.InternalError);
            }
            catch (Exception ex)
            {
                TunnelServerLog.StreamFailed(_logger, client, stream.Id, ex);
                stream.Abort(TunnelAbortDirection.Both, TunnelErrorCode.InternalError);
            }
            finally
            {
                _limiter.Release(client);
            }
        }
    }

    private async Task RefuseOverConnectionLimitAsync(string client, ITunnelStream stream)
    {
        await Task.Yield();
        long started = _timeProvider.GetTimestamp();
        await using (stream.ConfigureAwait(false))
        {
            TunnelServerLog.ConnectionStreamLimitReached(_logger, client, _options.MaxStreamsPerConnection, stream.Id);
            _metrics.LimitHit(client, StreamsPerConnectionLimit);
            await TryRefuseAsync(stream, TunnelStatus.NotAllowedByRuleset, TunnelErrorCode.LimitExceeded, started, client).ConfigureAwait(false);
        }
    }

    private async Task ServeAsync(string client, ITunnelStream stream, long started, CancellationToken cancellationToken)
    {
        byte[]? buffer = ArrayPool<byte>.Shared.Rent(OpenStreamRequest.MaxLength);
        try
        {
            (OpenStreamRequest request, int consumed, int filled)? read = await ReadRequestAsync(client, stream, buffer, cancellationToken).ConfigureAwait(false);
            if (read is not { } r)
            {
                return;
            }

            OpenStreamRequest request = r.request;
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                TunnelServerLog.StreamRequest(_logger, client, stream.Id, request.Command.ToString(), request.Destination.ToString());
            }

            if (request.Command != TunnelCommand.Connect)
            {
                TunnelServerLog.UnsupportedCommand(_logger, client, stream.Id, (byte)request.Command);
                _metrics.StreamError("unsupported_command");
                await RefuseAsync(stream, TunnelStatus.CommandNotSupported, TunnelErrorCode.NoError, started).ConfigureAwait(false);
                return;
            }

            DialResult dial = await _dialer.DialAsync(request.Destination, cancellationToken).ConfigureAwait(false);
            _metrics.Dialed(client, dial.Status);
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                TunnelServerLog.DialResult(
                    _logger,
                    client,
                    stream.Id,
                    request.Destination.ToString(),
                    TunnelStatusNames.Get(dial.Status),
                    dial.SocketError?.ToString() ?? "-",
                    dial.RemoteEndPoint?.ToString() ?? "-",
                    (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds);
            }

            if (dial.Status != TunnelStatus.Succeeded)
            {
                if (dial.Verdict != EgressVerdict.Allowed)
                {
                    TunnelServerLog.EgressRefused(_logger, client, stream.Id, dial.Verdict);
                    _metrics.EgressRefused(dial.Verdict);
                }

                await RefuseAsync(stream, dial.Status, TunnelErrorCode.NoError, started).ConfigureAwait(false);
                return;
            }

            var upstream = new SocketDuplexStream(dial.Socket!);
            await using (upstream.ConfigureAwait(false))
            {
                await WriteResponseAsync(stream, TunnelStatus.Succeeded, cancellationToken).ConfigureAwait(false);
                _metrics.StreamOpened(TunnelStatus.Succeeded, _timeProvider.GetElapsedTime(started));

                int leftover = r.filled - r.consumed;
                if (leftover > 0)
                {
                    // Payload the client sent right behind its request.
                    await upstream.WriteAsync(buffer.AsMemory(r.consumed, leftover), cancellationToken).ConfigureAwait(false);
                    _metrics.Transferred(client, upstream: true, leftover);
                }

                // The relay rents its own buffers only while data flows; do not hold this one for the session.
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = null;

                await RelayAsync(client, stream, upstream, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private async Task RelayAsync(string client, ITunnelStream stream, SocketDuplexStream upstream, CancellationToken cancellationToken)
    {
        long sessionStarted = _timeProvider.GetTimestamp();
        _metrics.SessionStarted(client);
        TunnelServerLog.SessionOpened(_logger, client, stream.Id);
        var metered = new MeteredTunnelStream(
            stream,
            onRead: n => _metrics.Transferred(client, upstream: true, n),
            onWritten: n => _metrics.Transferred(client, upstream: false, n));
        RelayResult result;
        try
        {
            result = await _relay.RunAsync(metered, upstream, TunnelErrorCode.UpstreamReset, TunnelErrorCode.ServerShuttingDown, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _metrics.SessionEnded(client, _timeProvider.GetElapsedTime(sessionStarted));
        }

        TunnelServerLog.SessionClosed(
            _logger,
            client,
            stream.Id,
            result.Outcome,
            result.TunnelToTcpBytes,
            result.TcpToTunnelBytes,
            (long)_timeProvider.GetElapsedTime(sessionStarted).TotalMilliseconds);
    }

    /// <summary>Reads until a whole request is in <paramref name="buffer"/>; null when the stream was reset.</summary>
    private async Task<(OpenStreamRequest request, int consumed, int filled)?> ReadRequestAsync(
        string client,
        ITunnelStream stream,
        byte[] buffer,
        CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        int filled = 0;
        while (true)
        {
            DecodeStatus status = OpenStreamRequest.TryDecode(buffer.AsSpan(0, filled), out OpenStreamRequest request, out int consumed);
            if (status == DecodeStatus.Complete)
            {
                return (request, consumed, filled);
            }

            if (status == DecodeStatus.Invalid)
            {
                TunnelServerLog.InvalidRequest(_logger, client, stream.Id);
                _metrics.StreamError("invalid_request");
                stream.Abort(TunnelAbortDirection.Both, TunnelErrorCode.ProtocolError);
                return null;
            }

            int read;
            try
            {
                read = await stream.ReadAsync(buffer.AsMemory(filled), linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                TunnelServerLog.RequestTimedOut(_logger, client, stream.Id, (long)_options.RequestTimeout.TotalMilliseconds);
                _metrics.StreamError("request_timeout");
                stream.Abort(TunnelAbortDirection.Both, TunnelErrorCode.RequestTimeout);
                return null;
            }

            if (read == 0)
            {
                // FIN before a whole request.
                TunnelServerLog.InvalidRequest(_logger, client, stream.Id);
                _metrics.StreamError("invalid_request");
                stream.Abort(TunnelAbortDirection.Both, TunnelErrorCode.ProtocolError);
                return null;
            }

            filled += read;
        }
    }

    private async Task RefuseAsync(ITunnelStream stream, TunnelStatus status, long stopSendingCode, long started)
    {
        await WriteResponseAsync(stream, status, CancellationToken.None).ConfigureAwait(false);
        stream.CompleteWrites();
        stream.Abort(TunnelAbortDirection.Read, stopSendingCode);
        _metrics.StreamOpened(status, _timeProvider.GetElapsedTime(started));
    }

    private async Task TryRefuseAsync(ITunnelStream stream, TunnelStatus status, long stopSendingCode, long started, string client)
    {
        try
        {
            await RefuseAsync(stream, status, stopSendingCode, started).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            TunnelServerLog.StreamAborted(_logger, client, stream.Id, ex);
            stream.Abort(TunnelAbortDirection.Both, stopSendingCode);
        }
    }

    private static ValueTask WriteResponseAsync(ITunnelStream stream, TunnelStatus status, CancellationToken cancellationToken) =>
        stream.WriteAsync(s_responses[(int)status], cancellationToken);

    private static byte[][] EncodeResponses()
    {
        var responses = new byte[(int)TunnelStatus.AddressTypeNotSupported + 1][];
        for (int i = 0; i < responses.Length; i++)
        {
            responses[i] = new byte[OpenStreamResponse.Length];
            new OpenStreamResponse((TunnelStatus)i).Encode(responses[i]);
        }

        return responses;
    }
}
