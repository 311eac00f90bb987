using System.Net;
using System.Net.Sockets;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Transport.Paths;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Quic.Transport.Internal;

/// <summary>
/// Drives one core <see cref="Endpoint"/> and its connections over one <see cref="IDatagramPath"/>: the I/O half of
/// the sans-IO split (quinn's EndpointDriver and ConnectionDriver in one).
/// </summary>
/// <remarks>
/// <para><b>Threading.</b> The core is single-threaded, so one lock (<see cref="Lock"/>) guards the endpoint, every
/// connection of it and the driver's own state. Whoever holds it may touch the core: the receive loop, the timer,
/// and application calls (stream reads and writes, opens, closes). Completions of waiting application calls are
/// decided under the lock and run after it is released (<see cref="Wakes"/>), with continuations always
/// asynchronous, so no application code runs under the lock or on the receive loop.</para>
/// <para><b>Receiving.</b> One loop receives a batch (up to <see cref="BatchCapacity"/> datagrams), feeds each to
/// <see cref="Endpoint.HandleDatagram"/> under the lock, delivers the connections' events, then pumps. When the path
/// can block a thread in the kernel (<see cref="IBlockingDatagramReceiver"/>: UDP on Linux) the loop has a thread of
/// its own, so a batch costs one wake-up of that thread; otherwise it is an asynchronous loop on the thread pool.</para>
/// <para><b>Sending</b> (<see cref="Pump"/>). Connections that may have something to send sit in a dirty queue
/// (marked after input, timeouts and application calls). A pump takes the lock, polls the dirty connections with
/// <see cref="Connection.TryPollTransmit"/> straight into the slots of one reusable <see cref="DatagramBatch"/>,
/// releases the lock and sends the batch; it repeats until nothing is left. One pump sends at a time: a thread that
/// finds another sending leaves its work in the dirty queue, and the sender picks it up on its next round. So the
/// thread that caused the work (the receive loop after ACKs, or an application writer) usually sends it, without a
/// thread hop per packet.</para>
/// <para><b>Timers.</b> Deadlines (the core's <see cref="Connection.NextTimeout"/> and the driver's handshake
/// deadline) live in a min-heap keyed by time, with lazy deletion: a connection pushes a new entry only when its
/// deadline moves earlier, stale entries are skipped when they surface, and the heap is rebuilt when stale entries
/// outnumber live ones. One <see cref="TimeProvider"/> timer is armed for the earliest deadline; with the system clock,
/// whose timer counts coarse milliseconds, a deadline closer than a millisecond waits one tick (RFC 9002's timer
/// granularity) and one already due is served by a thread-pool work item.</para>
/// <para><b>Failure.</b> An exception from the path (other than during shutdown) closes the endpoint: every
/// connection fails with <see cref="QuicError.InternalError"/> naming the path error.</para>
/// </remarks>
internal sealed class EndpointDriver : IThreadPoolWorkItem
{
    /// <summary>Datagrams per receive and per send batch.</summary>
    public const int BatchCapacity = 64;

    /// <summary>Stateless answers (Version Negotiation, Retry, reset) waiting to be sent, at most; more are dropped.</summary>
    private const int ResponseCapacity = 16;

    /// <summary>Room for one stateless answer (the core needs 1200 bytes at most).</summary>
    private const int ResponseSlotSize = 1500;

    /// <summary>The longest a blocking receive waits before the loop checks whether it should stop (disposal wakes it at once).</summary>
    private const int BlockingReceiveTimeoutMilliseconds = 500;

    /// <summary>Stack of a receive thread: the loop is shallow and nothing large lives on the stack.</summary>
    private const int ReceiveThreadStackSize = 256 * 1024;

    /// <summary>Rounds of timers and polling one pump makes under the lock before it comes back through the thread pool.</summary>
    private const int MaxServiceRounds = 8;

    /// <summary>The system timer's resolution: about a millisecond.</summary>
    private static readonly TimeSpan s_timerResolution = TimeSpan.FromMilliseconds(1);

    private readonly Lock _lock = new();
    private readonly Endpoint _endpoint;
    private IDatagramPath _path;
    private CancellationTokenSource _receiveStopping;
    private readonly TimeProvider _time;
    private readonly long _epoch;
    private readonly ITimer _timer;
    private readonly bool _coarseTimer;
    private readonly IConnectionAcceptor? _acceptor;
    private readonly bool _shutdownWhenEmpty;
    private readonly DatagramBatch _receiveBatch;
    private readonly DatagramBatch _sendBatch;
    private readonly DatagramBatch _responses;
    private readonly byte[] _discardedResponse = new byte[ResponseSlotSize];
    private readonly EndpointResponseKind[] _responseKinds = new EndpointResponseKind[ResponseCapacity];
    private readonly int _sendSize;
    private readonly Dictionary<Connection, QuicConnection> _connections = new(ReferenceEqualityComparer.Instance);
    private readonly Queue<QuicConnection> _dirty = new();
    private readonly PriorityQueue<QuicConnection, long> _deadlines = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiveLoop = Task.CompletedTask;
    private int _responseCount;
    private bool _sending;
    private bool _nearDeadlineQueued;
    private Instant _armed = Instant.Never;
    private bool _shutdownRequested;
    private bool _stopRequested;
    private bool _stoppingStarted;
    private TaskCompletionSource? _sendIdle;
    private QuicCloseReason? _shutdownReason;

    /// <param name="path">The datagram path; the driver owns and disposes it.</param>
    /// <param name="endpointOptions">Options of the core endpoint (server options for a listener).</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where to log.</param>
    /// <param name="metrics">Metrics, or null.</param>
    /// <param name="acceptor">The listener of a server endpoint; null for a client.</param>
    public EndpointDriver(IDatagramPath path, EndpointOptions endpointOptions, TimeProvider time, ILogger logger, QuicMetrics? metrics, IConnectionAcceptor? acceptor)
    {
        _path = path;
        _time = time;
        _epoch = time.GetTimestamp();
        Logger = logger;
        Metrics = metrics;
        _acceptor = acceptor;
        Role = acceptor is null ? "client" : "server";
        _shutdownWhenEmpty = acceptor is null;
        _coarseTimer = ReferenceEquals(time, TimeProvider.System);

        _sendSize = path.MaxDatagramSize;
        if (_sendSize < Connection.MinimumMaxDatagramSize)
        {
            throw new ArgumentException($"The datagram path carries at most {_sendSize} bytes per datagram; QUIC needs {Connection.MinimumMaxDatagramSize}.", nameof(path));
        }

        int receiveSize = Math.Max(path.MaxReceiveDatagramSize, _sendSize);
        AddressFamily family = path.LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        _receiveBatch = new DatagramBatch(BatchCapacity, receiveSize, family);
        _sendBatch = new DatagramBatch(BatchCapacity, _sendSize, family);
        _responses = new DatagramBatch(ResponseCapacity, ResponseSlotSize, family);
        _endpoint = new Endpoint(endpointOptions);
        _receiveStopping = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        _timer = time.CreateTimer(static state => ((EndpointDriver)state!).OnTimerFired(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Guards the core endpoint, its connections, and the driver's state.</summary>
    public Lock Lock => _lock;

    /// <summary>"client" or "server" (log and metric tag).</summary>
    public string Role { get; }

    public ILogger Logger { get; }

    public QuicMetrics? Metrics { get; }

    public EndPoint LocalEndPoint => _path.LocalEndPoint;

    /// <summary>The listener of a server endpoint; null for a client.</summary>
    public IConnectionAcceptor? Acceptor => _acceptor;

    /// <summary>The largest QUIC datagram the path carries.</summary>
    public int MaxDatagramSize => _sendSize;

    /// <summary>Whether the path the driver started on reports and applies ECN codepoints.</summary>
    public bool SupportsEcn => _path is IDatagramPathCapabilities { SupportsEcn: true };

    /// <summary>Completes when the driver has stopped and released its path.</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>
    /// The current time on the driver's clock: 100 ns ticks since the driver started, plus one second so that no
    /// real time is <see cref="Instant.Zero"/>.
    /// </summary>
    public Instant Now => new(_time.GetElapsedTime(_epoch).Ticks + TimeSpan.TicksPerSecond);

    /// <summary>
    /// Starts the receive loop: on a thread of its own that blocks in the kernel when the path can
    /// (<see cref="IBlockingDatagramReceiver"/>), else as an asynchronous loop on the thread pool.
    /// </summary>
    public void Start()
    {
        IDatagramPath path = _path;
        CancellationToken token = _receiveStopping.Token;
        if (path is IBlockingDatagramReceiver { SupportsBlockingReceive: true } blocking)
        {
            var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() => BlockingReceiveLoop(blocking, token, ended), ReceiveThreadStackSize)
            {
                IsBackground = true,
                Name = $"QUIC {Role} receive",
            };
            _receiveLoop = ended.Task;
            thread.UnsafeStart();
            return;
        }

        _receiveLoop = Task.Run(() => ReceiveLoopAsync(path, token));
    }

    /// <summary>
    /// Client active migration: moves the driver to <paramref name="newPath"/> (a new socket) and tells the core
    /// (<see cref="Connection.MigrateLocalAddress"/>). Nothing is sent while the paths are swapped: the send slot is
    /// held. The old path is disposed once its receive loop has ended. When the core refuses, nothing changes and the
    /// caller still owns <paramref name="newPath"/>.
    /// </summary>
    public async ValueTask<MigrationStatus> RebindAsync(QuicConnection connection, IDatagramPath newPath)
    {
        if (newPath.MaxDatagramSize < _sendSize)
        {
            throw new ArgumentException($"The new datagram path carries at most {newPath.MaxDatagramSize} bytes per datagram; the connection uses {_sendSize}.", nameof(newPath));
        }

        if (Math.Max(newPath.MaxReceiveDatagramSize, newPath.MaxDatagramSize) > _receiveBatch.BufferSize)
        {
            throw new ArgumentException($"The new datagram path may deliver datagrams larger than the {_receiveBatch.BufferSize} bytes the driver receives.", nameof(newPath));
        }

        // Take the send slot: no batch goes to the old path after the core moved, none to the new one before.
        while (true)
        {
            Task idle;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_stopRequested, this);
                if (!_sending)
                {
                    _sending = true;
                    break;
                }

                idle = (_sendIdle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            await idle.ConfigureAwait(false);
        }

        IDatagramPath oldPath;
        CancellationTokenSource oldReceive;
        Task oldLoop;
        MigrationStatus status;
        lock (_lock)
        {
            status = connection.IsCoreGone || _stopRequested
                ? MigrationStatus.NotConnected
                : connection.Core.MigrateLocalAddress(Now, OnlyPortDiffers(_path.LocalEndPoint, newPath.LocalEndPoint));
            oldPath = _path;
            oldReceive = _receiveStopping;
            oldLoop = _receiveLoop;
            if (status == MigrationStatus.Started)
            {
                _path = newPath;
                _receiveStopping = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                MarkDirty(connection);
            }
        }

        if (status == MigrationStatus.Started)
        {
            if (Logger.IsEnabled(LogLevel.Debug)) QuicLog.Migrated(Logger, connection.ConnectionIdText, oldPath.LocalEndPoint, newPath.LocalEndPoint);

            // The old receive loop ends (its token cancelled, its socket closed) before the new one reuses the batch.
            await oldReceive.CancelAsync().ConfigureAwait(false);
            try
            {
                await oldPath.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                QuicLog.PathDisposeFailed(Logger, e, oldPath.LocalEndPoint);
            }

            await oldLoop.ConfigureAwait(false);
            oldReceive.Dispose();
            lock (_lock)
            {
                Start();
            }
        }

        // Hand the send slot back; the pump sends the migration's first datagrams on the new path.
        PumpCore(ownsSend: true);
        return status;
    }

    private static bool OnlyPortDiffers(EndPoint a, EndPoint b) =>
        a is IPEndPoint x && b is IPEndPoint y && x.Address.Equals(y.Address);

    /// <summary>Starts a client connection (its first flight is sent before this returns).</summary>
    public QuicConnection Connect(ClientConnectionOptions coreOptions, IPEndPoint remote, QuicClientConnectionOptions options)
    {
        QuicConnection connection;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stopRequested, this);
            Instant now = Now;
            Connection core = _endpoint.Connect(now, coreOptions, remote.Serialize());
            connection = new QuicConnection(this, core, options, now);
            Register(connection);
        }

        Pump();
        return connection;
    }

    /// <summary>Marks <paramref name="connection"/> as possibly having something to send (under the lock).</summary>
    public void MarkDirty(QuicConnection connection)
    {
        if (connection.IsQueued || connection.IsCoreGone) return;
        connection.IsQueued = true;
        _dirty.Enqueue(connection);
    }

    /// <summary>
    /// Sends what the dirty connections have to send and serves due timers, unless another thread is sending (then
    /// that thread does it). Called without the lock, after any change to the core.
    /// </summary>
    public void Pump() => PumpCore(ownsSend: false);

    /// <summary>A connection is gone for good (drained or abandoned): forget it (under the lock).</summary>
    public void OnConnectionGone(QuicConnection connection)
    {
        _connections.Remove(connection.Core);
        if (_shutdownWhenEmpty && _connections.Count == 0) _shutdownRequested = true;
    }

    /// <summary>Stops routing to <paramref name="connection"/> and releases its core (under the lock): a handshake timeout.</summary>
    public void Abandon(QuicConnection connection)
    {
        _endpoint.Forget(connection.Core);
        connection.Core.Dispose();
        connection.IsCoreGone = true;
        OnConnectionGone(connection);
    }

    /// <summary>
    /// Closes every connection that is still open with <paramref name="errorCode"/>, sends the CONNECTION_CLOSE
    /// frames, then stops: a listener's disposal.
    /// </summary>
    public ValueTask CloseAllAndStopAsync(long errorCode, QuicCloseReason reason)
    {
        lock (_lock)
        {
            if (!_stoppingStarted)
            {
                Instant now = Now;
                foreach (QuicConnection connection in new List<QuicConnection>(_connections.Values))
                {
                    connection.CloseLocked(now, errorCode);
                }
            }
        }

        Wakes.Run();
        return StopAsync(reason);
    }

    /// <summary>
    /// Stops the driver: waits for a send in progress, sends what is still queued (CONNECTION_CLOSE frames) when
    /// <paramref name="flush"/> is set, then ends the connections still alive with <paramref name="reason"/> (nothing
    /// more is sent) and releases the core endpoint and the path. Idempotent; every caller waits for the end.
    /// </summary>
    public async ValueTask StopAsync(QuicCloseReason reason, bool flush = true)
    {
        bool first;
        lock (_lock)
        {
            first = !_stopRequested;
            _stopRequested = true;
            _shutdownReason ??= reason;
        }

        if (!first)
        {
            await _stopped.Task.ConfigureAwait(false);
            return;
        }

        // Take the send slot from any pump in progress.
        while (true)
        {
            Task idle;
            lock (_lock)
            {
                if (!_sending)
                {
                    _sending = true;
                    break;
                }

                idle = (_sendIdle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            await idle.ConfigureAwait(false);
        }

        if (flush) await FlushForStopAsync().ConfigureAwait(false);
        lock (_lock)
        {
            _stoppingStarted = true;
            StopLocked(_shutdownReason);
        }

        Wakes.Run();
        await ReleaseAsync().ConfigureAwait(false);
    }

    /// <summary>Sends what the connections still have to say (bounded), owning the send slot.</summary>
    private async ValueTask FlushForStopAsync()
    {
        for (int round = 0; round < 16; round++)
        {
            int count;
            lock (_lock)
            {
                count = _stoppingStarted ? 0 : Service(Now);
            }

            Wakes.Run();
            if (count == 0) return;
            try
            {
                await _path.SendBatchAsync(_sendBatch, count, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return;
            }

            RecordSent(count);
        }
    }

    private void StopLocked(QuicCloseReason reason)
    {
        var remaining = new List<QuicConnection>(_connections.Values);
        foreach (QuicConnection connection in remaining)
        {
            connection.AbandonLocked(reason);
        }

        _connections.Clear();
        _dirty.Clear();
        _deadlines.Clear();
        _responseCount = 0;
        _endpoint.Dispose();
    }

    private async Task ReleaseAsync()
    {
        try
        {
            _stopping.Cancel();
            _timer.Dispose();
            try
            {
                await _path.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The path is going away anyway; nothing waits for it.
                QuicLog.PathDisposeFailed(Logger, e, _path.LocalEndPoint);
            }

            await _receiveLoop.ConfigureAwait(false);
        }
        finally
        {
            _stopping.Dispose();
            _receiveStopping.Dispose();
            _stopped.TrySetResult();
        }
    }

    private void Register(QuicConnection connection)
    {
        _connections.Add(connection.Core, connection);
        MarkDirty(connection);
        if (Logger.IsEnabled(LogLevel.Debug))
        {
            QuicLog.ConnectionStarted(Logger, Role, connection.ConnectionIdText, connection.RemoteEndPoint);
        }
    }

    private async Task ReceiveLoopAsync(IDatagramPath path, CancellationToken stopping)
    {
        DatagramBatch batch = _receiveBatch;
        try
        {
            while (true)
            {
                int count = await path.ReceiveBatchAsync(batch, stopping).ConfigureAwait(false);
                if (!HandleBatch(batch, count, stopping)) return;
            }
        }
        catch (Exception e)
        {
            Wakes.Run();
            if (!stopping.IsCancellationRequested) Fail(e, "receiving");
        }
    }

    /// <summary>
    /// The receive loop on its own thread: blocks in the path until datagrams arrive (waking at least every
    /// <see cref="BlockingReceiveTimeoutMilliseconds"/> to notice a stop), handles them and sends what they caused.
    /// </summary>
    private void BlockingReceiveLoop(IBlockingDatagramReceiver path, CancellationToken stopping, TaskCompletionSource ended)
    {
        DatagramBatch batch = _receiveBatch;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                int count = path.ReceiveBatch(batch, BlockingReceiveTimeoutMilliseconds);
                if (count > 0 && !HandleBatch(batch, count, stopping)) return;
            }
        }
        catch (Exception e)
        {
            Wakes.Run();
            if (!stopping.IsCancellationRequested) Fail(e, "receiving");
        }
        finally
        {
            ended.TrySetResult();
        }
    }

    /// <summary>Feeds a received batch to the core, delivers events and pumps; false when the driver is stopping.</summary>
    private bool HandleBatch(DatagramBatch batch, int count, CancellationToken stopping)
    {
        long bytes = 0;
        lock (_lock)
        {
            if (_stoppingStarted || stopping.IsCancellationRequested) return false;
            Instant now = Now;
            for (int i = 0; i < count; i++)
            {
                bytes += batch.GetLength(i);
                HandleDatagram(now, batch, i);
            }

            // Deliver events now: readers wake sooner when another thread is busy sending.
            DeliverEvents(now);
        }

        Wakes.Run();
        Metrics?.BytesReceived(Role, bytes);
        Pump();
        return true;
    }

    /// <summary>Delivers the events of the connections that just received (under the lock).</summary>
    private void DeliverEvents(Instant now)
    {
        int queued = _dirty.Count;
        for (int i = 0; i < queued; i++)
        {
            // Rotate through the queue: order is kept and nothing is added while it turns.
            QuicConnection connection = _dirty.Dequeue();
            _dirty.Enqueue(connection);
            try
            {
                connection.ServiceEvents(now);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                connection.FailLocked(e);
            }
        }
    }

    private void HandleDatagram(Instant now, DatagramBatch batch, int index)
    {
        SocketAddress remote = batch.GetAddress(index);
        Span<byte> response = _responseCount < ResponseCapacity ? _responses.GetArray(_responseCount) : _discardedResponse;
        EndpointReceiveResult result;
        try
        {
            result = _endpoint.HandleDatagram(now, remote, batch.GetPayloadSpan(index), batch.GetEcn(index), response, out int length);
            if (result.Kind == EndpointReceiveKind.Response) QueueResponse(remote, length, result.Response);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The core never throws on network bytes; if it does anyway, lose the datagram, not the endpoint.
            QuicLog.PathFailed(Logger, e, _path.LocalEndPoint, "handling a received datagram (the datagram was dropped)", _connections.Count);
            return;
        }

        switch (result.Kind)
        {
            case EndpointReceiveKind.Routed when _connections.TryGetValue(result.Connection!, out QuicConnection? routed):
                MarkDirty(routed);
                break;
            case EndpointReceiveKind.NewConnection when _acceptor is not null:
                Register(_acceptor.OnNewConnection(result.Connection!));
                break;
        }
    }

    private void QueueResponse(SocketAddress remote, int length, EndpointResponseKind kind)
    {
        if (_responseCount >= ResponseCapacity)
        {
            if (Logger.IsEnabled(LogLevel.Debug))
            {
                QuicLog.StatelessResponseDropped(Logger, SocketAddresses.ToEndPoint(remote), kind, _responseCount);
            }

            return;
        }

        _responses.SetPayload(_responseCount, 0, length);
        _responses.SetAddress(_responseCount, remote);
        _responseKinds[_responseCount] = kind;
        _responseCount++;
        Metrics?.StatelessResponse(Role, kind);
        if (Logger.IsEnabled(LogLevel.Debug))
        {
            QuicLog.StatelessResponse(Logger, SocketAddresses.ToEndPoint(remote), kind);
        }
    }

    private void PumpCore(bool ownsSend)
    {
        while (true)
        {
            int count = 0;
            TaskCompletionSource? idle = null;
            bool stop = false;
            lock (_lock)
            {
                if (ownsSend)
                {
                    _sending = false;
                    ownsSend = false;
                    if (_sendIdle is not null)
                    {
                        // A stopper waits for the send slot: hand it over.
                        idle = _sendIdle;
                        _sendIdle = null;
                    }
                }

                if (idle is null && !_stopRequested && !_sending)
                {
                    Instant now = Now;
                    count = Service(now);
                    ArmTimer(now);
                    if (count > 0)
                    {
                        _sending = true;
                        ownsSend = true;
                    }
                }

                if (_shutdownRequested && !_stopRequested && !ownsSend)
                {
                    stop = true;
                }
            }

            Wakes.Run();
            idle?.TrySetResult();
            if (stop)
            {
                _ = StopAsync(new QuicCloseReason(QuicError.OperationAborted, true, null, null, "The connection's endpoint stopped."), flush: false).AsTask();
                return;
            }

            if (!ownsSend) return;

            ValueTask send;
            try
            {
                send = _path.SendBatchAsync(_sendBatch, count, CancellationToken.None);
            }
            catch (Exception e)
            {
                SendFailed(e);
                return;
            }

            if (!send.IsCompletedSuccessfully)
            {
                _ = AwaitSendAsync(send, count);
                return;
            }

            send.GetAwaiter().GetResult();
            RecordSent(count);
        }
    }

    private async Task AwaitSendAsync(ValueTask send, int count)
    {
        try
        {
            await send.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            SendFailed(e);
            return;
        }

        RecordSent(count);
        PumpCore(ownsSend: true);
    }

    private void RecordSent(int count)
    {
        if (Metrics is null) return;
        long bytes = 0;
        for (int i = 0; i < count; i++) bytes += _sendBatch.GetLength(i);
        Metrics.BytesSent(Role, bytes);
    }

    private void SendFailed(Exception e)
    {
        TaskCompletionSource? idle;
        lock (_lock)
        {
            _sending = false;
            idle = _sendIdle;
            _sendIdle = null;
        }

        idle?.TrySetResult();
        Fail(e, "sending");
    }

    private void Fail(Exception e, string operation)
    {
        int count;
        QuicCloseReason reason;
        lock (_lock)
        {
            if (_stopRequested) return;
            count = _connections.Count;
            reason = new QuicCloseReason(
                QuicError.InternalError, true, null, null, $"The datagram path on {_path.LocalEndPoint} failed while {operation}: {e.Message}");
            _shutdownReason = reason;
        }

        QuicLog.PathFailed(Logger, e, _path.LocalEndPoint, operation, count);
        _ = StopAsync(reason, flush: false).AsTask();
    }

    /// <summary>Serves due timers and polls dirty connections into the send batch; returns the datagrams to send.</summary>
    private int Service(Instant now)
    {
        for (int round = 0; round < MaxServiceRounds; round++)
        {
            RunExpiredTimers(now);
            int count = FillSendBatch(now);
            if (count > 0) return count;
            if (_dirty.Count == 0 && !HasExpiredDeadline(now)) return 0;
        }

        // Still work left (connections that keep finding more to do): come back through the thread pool.
        QueueNearDeadline();
        return 0;
    }

    private int FillSendBatch(Instant now)
    {
        int count = 0;
        for (int i = 0; i < _responseCount; i++)
        {
            _responses.GetPayloadSpan(i).CopyTo(_sendBatch.GetArray(count));
            _sendBatch.SetPayload(count, 0, _responses.GetLength(i));
            _sendBatch.SetAddress(count, _responses.GetAddress(i));
            _sendBatch.SetEcn(count, EcnCodepoint.NotEct);
            _sendBatch.SetFlags(count, DatagramFlags.None);
            count++;
        }

        _responseCount = 0;

        // Each queued connection is visited at most once per batch; one that fills the batch goes to the back.
        int visits = _dirty.Count;
        while (count < BatchCapacity && visits-- > 0 && _dirty.TryDequeue(out QuicConnection? connection))
        {
            connection.IsQueued = false;
            if (connection.IsCoreGone) continue;
            bool more;
            try
            {
                more = PollTransmits(connection, now, ref count);
                connection.ServiceEvents(now);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                connection.FailLocked(e);
                continue;
            }

            if (connection.IsCoreGone) continue;
            if (more) MarkDirty(connection);
            Reschedule(connection);
        }

        return count;
    }

    /// <summary>Polls datagrams of <paramref name="connection"/> into the send batch; true when the batch filled first.</summary>
    private bool PollTransmits(QuicConnection connection, Instant now, ref int count)
    {
        Connection core = connection.Core;
        while (count < BatchCapacity)
        {
            if (!core.TryPollTransmit(now, _sendBatch.GetArray(count).AsSpan(0, _sendSize), out Transmit transmit)) return false;
            _sendBatch.SetPayload(count, 0, transmit.Length);
            _sendBatch.SetAddress(count, transmit.Destination);
            _sendBatch.SetEcn(count, transmit.Ecn);
            _sendBatch.SetFlags(count, transmit.ContainsClientHello ? DatagramFlags.ClientHello : DatagramFlags.None);
            count++;
        }

        return true;
    }

    /// <summary>Puts the connection's next deadline in the heap when it moved earlier (lazy deletion of the old entry).</summary>
    private void Reschedule(QuicConnection connection)
    {
        Instant next = connection.NextDeadline;
        if (next >= connection.HeapDeadline) return;
        connection.HeapDeadline = next;
        _deadlines.Enqueue(connection, next.Ticks);
        if (_deadlines.Count > (2 * _connections.Count) + 256) CompactDeadlines();
    }

    private void CompactDeadlines()
    {
        _deadlines.Clear();
        foreach (QuicConnection connection in _connections.Values)
        {
            if (!connection.HeapDeadline.IsNever) _deadlines.Enqueue(connection, connection.HeapDeadline.Ticks);
        }
    }

    private void RunExpiredTimers(Instant now)
    {
        while (_deadlines.TryPeek(out QuicConnection? connection, out long ticks) && ticks <= now.Ticks)
        {
            _deadlines.Dequeue();
            if (connection.HeapDeadline.Ticks != ticks || connection.IsCoreGone) continue;
            connection.HeapDeadline = Instant.Never;
            try
            {
                connection.OnTimer(now);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                connection.FailLocked(e);
                continue;
            }

            MarkDirty(connection);
        }
    }

    private bool HasExpiredDeadline(Instant now)
    {
        SkipStaleDeadlines();
        return _deadlines.TryPeek(out _, out long ticks) && ticks <= now.Ticks;
    }

    private void SkipStaleDeadlines()
    {
        while (_deadlines.TryPeek(out QuicConnection? connection, out long ticks) && (connection.HeapDeadline.Ticks != ticks || connection.IsCoreGone))
        {
            _deadlines.Dequeue();
        }
    }

    /// <summary>Arms the timer for the earliest deadline (under the lock).</summary>
    private void ArmTimer(Instant now)
    {
        SkipStaleDeadlines();
        if (!_deadlines.TryPeek(out _, out long ticks)) return;
        var next = new Instant(ticks);
        TimeSpan due = next - now;
        if (due <= TimeSpan.Zero)
        {
            QueueNearDeadline();
            return;
        }

        if (_armed <= now || next < _armed)
        {
            // The system timer counts coarse milliseconds and may fire a little early by our clock; one resolution
            // more makes it late rather than early, which saves a round of re-arming. A deadline closer than the
            // resolution (pacing, mostly) waits for one tick: RFC 9002's timer granularity, and the pacer's bucket
            // holds more than that, so the packets due by then leave together in one batch instead of one wake-up
            // (and one send call) each.
            _armed = next;
            TimeSpan wait = due;
            if (_coarseTimer) wait = due < s_timerResolution ? s_timerResolution : due + s_timerResolution;
            _timer.Change(wait, Timeout.InfiniteTimeSpan);
        }
    }

    private void QueueNearDeadline()
    {
        if (_nearDeadlineQueued) return;
        _nearDeadlineQueued = true;
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>A deadline closer than the timer resolution: serve it from the thread pool.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        lock (_lock)
        {
            _nearDeadlineQueued = false;
        }

        Pump();
    }


    /// <summary>
    /// The timer fired. It may fire a little before the deadline by our clock (its resolution is coarser), so it is
    /// no longer armed either way: the pump re-arms it for whatever is still pending.
    /// </summary>
    private void OnTimerFired()
    {
        lock (_lock)
        {
            _armed = Instant.Never;
        }

        Pump();
    }
}
