using AwgProxy.Tunnel.Protocol;
using AwgProxy.Tunnel.Relay;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AwgProxy.Tunnel.Client;

/// <summary>
/// The client side of the tunnel: keeps one connection to the server, shared by every SOCKS5
/// session, and opens one stream per proxied connection.
/// </summary>
/// <remarks>
/// <para>Connection: made at <see cref="Start"/> (or the first <see cref="OpenAsync"/>). When an attempt
/// fails, or the connection drops, the client waits per <see cref="ReconnectPolicy"/> (capped
/// exponential backoff with jitter; after a drop the first retry already waits the minimum delay,
/// so a server that accepts and drops at once is not hammered) and tries again, for as long as it
/// runs. Each connection made after the first counts as a reconnect.</para>
/// <para>Requests: <see cref="OpenAsync"/> waits up to <see cref="TunnelClientOptions.RequestWaitTimeout"/>
/// for a connection, then answers <see cref="TunnelStatus.GeneralFailure"/> (the proxy itself is
/// unavailable, which is RFC 1928's "general SOCKS server failure"; TTL expired stays reserved for a
/// destination that did not answer in time). If the connection is found closed while opening the
/// stream or before the response, the request is retried on the next connection within the same
/// wait budget. No response within <see cref="TunnelClientOptions.ResponseTimeout"/> → TTL expired (6).</para>
/// </remarks>
public sealed class TunnelClient : IAsyncDisposable
{
    private readonly ITunnelConnectionFactory _factory;
    private readonly TunnelClientOptions _options;
    private readonly TunnelClientMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly ReconnectPolicy _reconnectPolicy;
    private readonly StreamRelay _relay;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource<ITunnelConnection?> _connected = NewConnectedSource();
    private ITunnelConnection? _current;
    private Task? _loop;
    private long _reconnects;
    private long _migrations;
    private int _migrationQueued;
    private Task _migration = Task.CompletedTask;
    private int _disposed;

    public TunnelClient(
        ITunnelConnectionFactory factory,
        TunnelClientOptions options,
        TunnelClientMetrics metrics,
        ILogger<TunnelClient>? logger = null,
        TimeProvider? timeProvider = null,
        Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        _factory = factory;
        _options = options;
        _metrics = metrics;
        _logger = logger ?? NullLogger<TunnelClient>.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _reconnectPolicy = new ReconnectPolicy(options.ReconnectMinDelay, options.ReconnectMaxDelay, options.ReconnectJitter, random);
        _relay = new StreamRelay(options.IdleTimeout, _timeProvider, options.RelayBufferSize);
    }

    /// <summary>Connections made after the first one (successful reconnects).</summary>
    public long ReconnectCount => Interlocked.Read(ref _reconnects);

    /// <summary>How long <see cref="OnNetworkChanged"/> waits for the network to settle (changes come in bursts).</summary>
    public static readonly TimeSpan NetworkSettleDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>Times the connection moved to a new local socket after a network change.</summary>
    public long MigrationCount => Interlocked.Read(ref _migrations);

    /// <summary>True while a connection is up.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_lock)
            {
                return _current is not null;
            }
        }
    }

    /// <summary>Starts connecting in the background (idempotent).</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_lock)
        {
            _loop ??= Task.Run(RunConnectionLoopAsync);
        }
    }

    /// <summary>
    /// Tells the client that the machine's network changed (an address or an interface came or went). After
    /// <see cref="NetworkSettleDelay"/> the current connection moves to a new local socket (QUIC active migration),
    /// so it goes on over whatever network is there now, streams included, without a reconnect; a burst of calls gives
    /// one migration. Without a connection nothing happens: the next one starts on the new network. When the
    /// connection cannot move it stays as it is; should its path be dead, dead-path detection ends it and the client
    /// reconnects.
    /// </summary>
    public void OnNetworkChanged()
    {
        if (Volatile.Read(ref _disposed) != 0 || Interlocked.Exchange(ref _migrationQueued, 1) != 0)
        {
            return;
        }

        lock (_lock)
        {
            // Checked again under the lock: DisposeAsync either sees this migration and waits for it, or this sees
            // the disposal and starts none.
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            _migration = MigrateAfterSettlingAsync(_migration, _shutdown.Token);
        }
    }

    /// <summary>
    /// Opens a stream to <paramref name="destination"/> through the tunnel and waits for the server's
    /// answer. On <see cref="TunnelStatus.Succeeded"/> the result carries the open stream (the caller
    /// owns and disposes it; relay it with <see cref="RelayAsync"/>); otherwise no stream.
    /// Never throws for network failures; throws <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task<TunnelOpenResult> OpenAsync(TunnelDestination destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Start();
        long started = _timeProvider.GetTimestamp();
        var request = new OpenStreamRequest(TunnelCommand.Connect, destination);

        while (true)
        {
            ITunnelConnection? connection = await WaitForConnectionAsync(started, cancellationToken).ConfigureAwait(false);
            if (connection is null)
            {
                TunnelClientLog.RequestWaitTimedOut(_logger, (long)_options.RequestWaitTimeout.TotalMilliseconds);
                return Finish(TunnelStatus.GeneralFailure, null, started, destination, -1);
            }

            try
            {
                return await OpenOnAsync(connection, request, started, cancellationToken).ConfigureAwait(false);
            }
            catch (TunnelConnectionClosedException) when (!cancellationToken.IsCancellationRequested)
            {
                // The connection died under us; wait for the next one within the same budget.
                Unpublish(connection);
            }
            catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Any other transport failure while opening: the proxy could not serve the request.
                TunnelClientLog.OpenAborted(_logger, -1, ex);
                return Finish(TunnelStatus.GeneralFailure, null, started, destination, -1);
            }
        }
    }

    /// <summary>
    /// Relays between an open tunnel stream and the application's TCP connection until both
    /// directions end or one fails (see <see cref="StreamRelay"/>); the application side failing
    /// aborts the stream with ClientAborted (0x2). Disposes neither.
    /// </summary>
    public async Task<RelayResult> RelayAsync(ITunnelStream stream, IDuplexStream application, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(application);
        long started = _timeProvider.GetTimestamp();
        RelayResult result = await _relay.RunAsync(stream, application, TunnelErrorCode.ClientAborted, TunnelErrorCode.ClientAborted, cancellationToken).ConfigureAwait(false);
        TunnelClientLog.SessionClosed(
            _logger,
            stream.Id,
            result.Outcome,
            result.TcpToTunnelBytes,
            result.TunnelToTcpBytes,
            (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }

    /// <summary>Stops reconnecting, fails waiting requests and closes the connection (NoError).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _shutdown.CancelAsync().ConfigureAwait(false);
        Task? loop;
        Task migration;
        lock (_lock)
        {
            _connected.TrySetResult(null);
            loop = _loop;
            migration = _migration;
        }

        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        await migration.ConfigureAwait(false);

        _shutdown.Dispose();
    }

    /// <summary>One migration after the network settled, after the previous one; never faults.</summary>
    private async Task MigrateAfterSettlingAsync(Task previous, CancellationToken shutdown)
    {
        await previous.ConfigureAwait(false);
        ITunnelConnection? connection = null;
        try
        {
            await Task.Delay(NetworkSettleDelay, _timeProvider, shutdown).ConfigureAwait(false);

            // Changes from here on ask for another migration after this one.
            Volatile.Write(ref _migrationQueued, 0);
            lock (_lock)
            {
                connection = _current;
            }

            if (connection is null)
            {
                return;
            }

            if (await connection.MigrateAsync(shutdown).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _migrations);
                _metrics.Migrated();
                TunnelClientLog.Migrated(_logger, connection.PeerIdentity);
            }
            else
            {
                TunnelClientLog.MigrationSkipped(_logger, connection.PeerIdentity);
            }
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            TunnelClientLog.MigrationFailed(_logger, connection?.PeerIdentity ?? "(none)", e);
        }
    }

    private async Task<TunnelOpenResult> OpenOnAsync(ITunnelConnection connection, OpenStreamRequest request, long started, CancellationToken cancellationToken)
    {
        ITunnelStream stream = await connection.OpenStreamAsync(cancellationToken).ConfigureAwait(false);
        bool handedOut = false;
        try
        {
            byte[] requestBytes = new byte[request.Length];
            request.Encode(requestBytes);
            await stream.WriteAsync(requestBytes, cancellationToken).ConfigureAwait(false);

            TunnelStatus status = await ReadResponseAsync(stream, cancellationToken).ConfigureAwait(false);
            if (status != TunnelStatus.Succeeded)
            {
                return Finish(status, null, started, request.Destination, stream.Id);
            }

            _metrics.SessionStarted();
            var metered = new MeteredTunnelStream(
                stream,
                onRead: n => _metrics.Transferred(upstream: false, n),
                onWritten: n => _metrics.Transferred(upstream: true, n),
                onDisposed: _metrics.SessionEnded);
            handedOut = true;
            return Finish(status, metered, started, request.Destination, stream.Id);
        }
        catch (IOException ex) when (ex is not TunnelConnectionClosedException)
        {
            // The server reset the stream instead of answering (protocol error, shutdown), or the
            // transport failed in some other way.
            TunnelClientLog.OpenAborted(_logger, stream.Id, ex);
            return Finish(TunnelStatus.GeneralFailure, null, started, request.Destination, stream.Id);
        }
        finally
        {
            if (!handedOut)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads exactly the response (never past it: what follows is payload).</summary>
    private async Task<TunnelStatus> ReadResponseAsync(ITunnelStream stream, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[OpenStreamResponse.Length];
        using var timeout = new CancellationTokenSource(_options.ResponseTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        int filled = 0;
        while (true)
        {
            DecodeStatus decoded = OpenStreamResponse.TryDecode(buffer.AsSpan(0, filled), out OpenStreamResponse response, out _);
            if (decoded == DecodeStatus.Complete)
            {
                return response.Status;
            }

            if (decoded == DecodeStatus.Invalid)
            {
                TunnelClientLog.InvalidResponse(_logger, stream.Id);
                stream.Abort(TunnelAbortDirection.Both, TunnelErrorCode.ProtocolError);
                return TunnelStatus.GeneralFailure;
            }

            int read;
            try
            {
                read = await stream.ReadAsync(buffer.AsMemory(filled), linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                TunnelClientLog.ResponseTimedOut(_logger, stream.Id, (long)_options.ResponseTimeout.TotalMilliseconds);
                stream.Abort(TunnelAbortDirection.Both, TunnelErrorCode.ClientAborted);
                return TunnelStatus.TtlExpired;
            }

            if (read == 0)
            {
                TunnelClientLog.InvalidResponse(_logger, stream.Id);
                stream.Abort(TunnelAbortDirection.Both, TunnelErrorCode.ProtocolError);
                return TunnelStatus.GeneralFailure;
            }

            filled += read;
        }
    }

    private TunnelOpenResult Finish(TunnelStatus status, ITunnelStream? stream, long started, TunnelDestination destination, long streamId)
    {
        TimeSpan elapsed = _timeProvider.GetElapsedTime(started);
        _metrics.StreamOpened(status, elapsed);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            TunnelClientLog.StreamOpened(_logger, streamId, destination.ToString(), TunnelStatusNames.Get(status), (long)elapsed.TotalMilliseconds);
        }

        return new TunnelOpenResult(status, stream);
    }

    /// <summary>The current connection, waiting for one up to the request's remaining budget; null when none came.</summary>
    private async Task<ITunnelConnection?> WaitForConnectionAsync(long started, CancellationToken cancellationToken)
    {
        Task<ITunnelConnection?> next;
        lock (_lock)
        {
            if (_current is not null)
            {
                return _current;
            }

            next = _connected.Task;
        }

        if (Volatile.Read(ref _disposed) != 0)
        {
            return null;
        }

        TimeSpan remaining = _options.RequestWaitTimeout - _timeProvider.GetElapsedTime(started);
        if (remaining <= TimeSpan.Zero)
        {
            return null;
        }

        try
        {
            return await next.WaitAsync(remaining, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private async Task RunConnectionLoopAsync()
    {
        CancellationToken shutdown = _shutdown.Token;
        int failures = 0;
        bool afterDrop = false;
        bool everConnected = false;
        while (!shutdown.IsCancellationRequested)
        {
            int retry = failures + (afterDrop ? 1 : 0);
            try
            {
                if (retry > 0)
                {
                    TimeSpan delay = _reconnectPolicy.GetDelay(retry);
                    // Arm the timer before saying so: whoever reads the log (a test driving virtual time)
                    // may advance the clock at once.
                    Task waiting = Task.Delay(delay, _timeProvider, shutdown);
                    TunnelClientLog.ReconnectScheduled(_logger, retry, delay.TotalMilliseconds);
                    await waiting.ConfigureAwait(false);
                }

                ITunnelConnection connection;
                try
                {
                    connection = await _factory.ConnectAsync(shutdown).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !shutdown.IsCancellationRequested)
                {
                    failures++;
                    _metrics.ConnectFailed();
                    // A network or authentication failure is said in one line; anything else keeps its stack trace.
                    TunnelClientLog.ConnectFailed(_logger, failures, ex.Message, ex is IOException ? null : ex);
                    continue;
                }

                failures = 0;
                afterDrop = false;
                if (everConnected)
                {
                    long count = Interlocked.Increment(ref _reconnects);
                    _metrics.Reconnected();
                    TunnelClientLog.Reconnected(_logger, connection.PeerIdentity, count);
                }
                else
                {
                    TunnelClientLog.Connected(_logger, connection.PeerIdentity, connection.RemoteEndPoint);
                }

                everConnected = true;
                await HoldAsync(connection, shutdown).ConfigureAwait(false);
                afterDrop = true;
            }
            catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>Publishes the connection to requests until it closes or the client shuts down.</summary>
    private async Task HoldAsync(ITunnelConnection connection, CancellationToken shutdown)
    {
        Publish(connection);
        _metrics.ConnectionUp();
        try
        {
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (shutdown.Register(static s => ((TaskCompletionSource)s!).TrySetResult(), stopped))
            {
                await Task.WhenAny(connection.Closed, stopped.Task).ConfigureAwait(false);
            }
        }
        finally
        {
            Unpublish(connection);
            _metrics.ConnectionDown();
        }

        if (shutdown.IsCancellationRequested)
        {
            try
            {
                await connection.CloseAsync(TunnelErrorCode.NoError, CancellationToken.None).ConfigureAwait(false);
            }
            catch (IOException)
            {
            }
        }
        else
        {
            TunnelClientLog.ConnectionLost(_logger, connection.PeerIdentity);
        }

        try
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Already gone; nothing to release.
        }

        shutdown.ThrowIfCancellationRequested();
    }

    private void Publish(ITunnelConnection connection)
    {
        lock (_lock)
        {
            _current = connection;
            if (!_connected.TrySetResult(connection))
            {
                _connected = NewConnectedSource();
                _connected.SetResult(connection);
            }
        }
    }

    private void Unpublish(ITunnelConnection connection)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(_current, connection))
            {
                return;
            }

            _current = null;
            _connected = NewConnectedSource();
            if (Volatile.Read(ref _disposed) != 0)
            {
                _connected.SetResult(null);
            }
        }
    }

    private static TaskCompletionSource<ITunnelConnection?> NewConnectedSource() =>
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}
