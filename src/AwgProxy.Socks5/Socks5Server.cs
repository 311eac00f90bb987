using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AwgProxy.Socks5;

/// <summary>
/// A SOCKS5 server (RFC 1928) that admits only username/password clients (RFC 1929) and hands every CONNECT
/// to an <see cref="ISocks5ConnectHandler"/>, then relays bytes between the client and the upstream it returns.
/// </summary>
/// <remarks>
/// Lifecycle, shaped for a hosted service: <see cref="StartAsync"/> binds every listen endpoint (or throws)
/// and starts one accept loop each; <see cref="StopAsync"/> stops accepting, ends handshakes and pending
/// requests at once, lets relays finish until its token fires, then aborts what is left, and returns when
/// every session task has ended. Nothing is fire-and-forget: accept loops and sessions are tracked and
/// awaited. <see cref="DisposeAsync"/> is a <see cref="StopAsync"/> that aborts at once.
/// </remarks>
public sealed class Socks5Server : IAsyncDisposable
{
    private static readonly TimeSpan s_acceptRetryDelay = TimeSpan.FromMilliseconds(50);

    private readonly List<IPEndPoint> _configuredEndPoints = [];
    private readonly int _listenBacklog;
    private readonly int _maxConcurrentSessions;
    private readonly ILogger _logger;
    private readonly Socks5Metrics? _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly Socks5ServerContext _context;
    private readonly Lock _lock = new();
    private readonly HashSet<Socks5Session> _sessions = [];
    private readonly List<(Socket Listener, IPEndPoint EndPoint)> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly CancellationTokenSource _acceptCancellation = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly CancellationTokenSource _abort = new();
    private IReadOnlyList<IPEndPoint> _localEndPoints = [];
    private TaskCompletionSource? _stopped;
    private bool _started;
    private long _lastSessionId;
    private int _activeSessions;

    /// <summary>Creates a server; nothing is bound until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Settings, copied now: later changes have no effect.</param>
    /// <param name="connectHandler">Establishes the upstream of each CONNECT.</param>
    /// <param name="udpAssociateHandler">Serves UDP ASSOCIATE; without one the command is answered X'07'.</param>
    /// <param name="logger">Logs (see <c>Socks5Log</c> for the event IDs).</param>
    /// <param name="metrics">Instruments; none are recorded without it.</param>
    /// <param name="timeProvider">Clock for timeouts and durations; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the message lists every problem.</exception>
    public Socks5Server(
        Socks5ServerOptions options,
        ISocks5ConnectHandler connectHandler,
        ISocks5UdpAssociateHandler? udpAssociateHandler = null,
        ILogger<Socks5Server>? logger = null,
        Socks5Metrics? metrics = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(connectHandler);
        IReadOnlyList<string> failures = Socks5ServerOptionsValidator.GetFailures(options);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(Socks5ServerOptions), failures);
        }

        IEnumerable<string> endPoints = options.ListenEndPoints.Count > 0 ? options.ListenEndPoints : [Socks5ServerDefaults.ListenEndPoint];
        foreach (string text in endPoints)
        {
            Socks5ServerOptions.TryParseEndPoint(text, out IPEndPoint endPoint);
            _configuredEndPoints.Add(endPoint);
        }

        _listenBacklog = options.ListenBacklog;
        _maxConcurrentSessions = options.MaxConcurrentSessions;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _metrics = metrics;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _context = new Socks5ServerContext
        {
            Credentials = new Socks5CredentialStore(options.Users),
            ConnectHandler = connectHandler,
            UdpAssociateHandler = udpAssociateHandler,
            Logger = _logger,
            Metrics = metrics,
            TimeProvider = _timeProvider,
            HandshakeTimeout = options.HandshakeTimeout,
            ConnectTimeout = options.ConnectTimeout,
            IdleTimeout = options.IdleTimeout,
            RelayBufferSize = options.RelayBufferSize,
            ShutdownToken = _shutdown.Token,
            AbortToken = _abort.Token,
            SessionEnded = OnSessionEnded,
        };
    }

    /// <summary>The bound endpoints (with the actual port where port 0 was configured); empty before start.</summary>
    public IReadOnlyList<IPEndPoint> LocalEndPoints => _localEndPoints;

    /// <summary>Sessions open now, from accept to close.</summary>
    public int ActiveSessionCount => Volatile.Read(ref _activeSessions);

    /// <summary>Binds every listen endpoint and starts accepting. Throws (and binds nothing) if one cannot be bound.</summary>
    /// <exception cref="InvalidOperationException">The server was already started or stopped.</exception>
    /// <exception cref="SocketException">An endpoint could not be bound (for example, it is in use).</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_started || _stopped is not null)
            {
                throw new InvalidOperationException("A Socks5Server starts once.");
            }

            _started = true;
        }

        var bound = new List<(Socket, IPEndPoint)>();
        try
        {
            foreach (IPEndPoint endPoint in _configuredEndPoints)
            {
                var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                bound.Add((listener, endPoint));
                if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    listener.DualMode = false;
                }

                listener.Bind(endPoint);
                listener.Listen(_listenBacklog);
            }
        }
        catch
        {
            foreach ((Socket listener, _) in bound)
            {
                listener.Dispose();
            }

            throw;
        }

        var localEndPoints = new List<IPEndPoint>();
        foreach ((Socket listener, _) in bound)
        {
            var local = (IPEndPoint)listener.LocalEndPoint!;
            localEndPoints.Add(local);
            _listeners.Add((listener, local));
            Socks5Log.ListenerStarted(_logger, local);
        }

        _localEndPoints = localEndPoints.AsReadOnly();
        foreach ((Socket listener, IPEndPoint local) in _listeners)
        {
            _acceptLoops.Add(AcceptLoopAsync(listener, local));
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops accepting and ends every session. Handshakes and pending requests end at once; relays may finish
    /// until <paramref name="cancellationToken"/> fires, then they are aborted (RST to the client, abort of the
    /// upstream). Returns when every session has ended. Safe to call more than once, and before start.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        bool first;
        Task stopped;
        lock (_lock)
        {
            first = _stopped is null;
            _stopped ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            stopped = _stopped.Task;
        }

        using CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(
            static state => ((Socks5Server)state!).AbortSessions(), this);
        if (first)
        {
            try
            {
                await StopCoreAsync().ConfigureAwait(false);
                _stopped!.SetResult();
            }
            catch (Exception ex)
            {
                _stopped!.SetException(ex);
            }
        }

        await stopped.ConfigureAwait(false);
    }

    /// <summary>Stops at once: like <see cref="StopAsync"/> with a token that has already fired.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(new CancellationToken(canceled: true)).ConfigureAwait(false);
        _acceptCancellation.Dispose();
        _shutdown.Dispose();
        _abort.Dispose();
    }

    private async Task StopCoreAsync()
    {
        if (!_started)
        {
            return;
        }

        Socks5Log.ServerStopping(_logger, ActiveSessionCount);
        await _acceptCancellation.CancelAsync().ConfigureAwait(false);
        foreach ((Socket listener, IPEndPoint endPoint) in _listeners)
        {
            listener.Dispose();
            Socks5Log.ListenerStopped(_logger, endPoint);
        }

        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);

        // No session starts from here on: end handshakes and pending requests, then wait for the rest.
        await _shutdown.CancelAsync().ConfigureAwait(false);
        Task[] sessions;
        lock (_lock)
        {
            sessions = [.. _sessions.Select(static session => session.Completion)];
        }

        await Task.WhenAll(sessions).ConfigureAwait(false);
    }

    private void AbortSessions()
    {
        try
        {
            _shutdown.Cancel();
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed: every session has ended already.
        }
    }

    private async Task AcceptLoopAsync(Socket listener, IPEndPoint endPoint)
    {
        CancellationToken cancellationToken = _acceptCancellation.Token;
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                Socks5Log.AcceptFailed(_logger, endPoint, ex);
                if (ex.SocketErrorCode is not (SocketError.ConnectionReset or SocketError.ConnectionAborted))
                {
                    // Out of descriptors or buffers: back off instead of spinning.
                    try
                    {
                        await Task.Delay(s_acceptRetryDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }

                continue;
            }

            AcceptSession(client, endPoint);
        }
    }

    private void AcceptSession(Socket client, IPEndPoint endPoint)
    {
        if (Interlocked.Increment(ref _activeSessions) > _maxConcurrentSessions)
        {
            Interlocked.Decrement(ref _activeSessions);
            EndPoint? remote = null;
            try
            {
                remote = client.RemoteEndPoint;
            }
            catch (SocketException)
            {
                // Reset already; the address is only for the log.
            }

            Socks5Log.SessionLimitReached(_logger, remote, _maxConcurrentSessions);
            _metrics?.SessionRejected(Socks5MetricReasons.SessionLimit);
            client.Dispose();
            return;
        }

        var session = new Socks5Session(_context, client, Interlocked.Increment(ref _lastSessionId), endPoint);
        lock (_lock)
        {
            _sessions.Add(session);
        }

        session.Start();
    }

    private void OnSessionEnded(Socks5Session session)
    {
        lock (_lock)
        {
            _sessions.Remove(session);
        }

        Interlocked.Decrement(ref _activeSessions);
    }
}
