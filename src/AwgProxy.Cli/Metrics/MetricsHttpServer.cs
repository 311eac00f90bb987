using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AwgProxy.Cli.Metrics;

/// <summary>
/// A minimal HTTP/1.1 server for the scrape endpoint, on a plain <see cref="TcpListener"/> (no
/// ASP.NET): <c>GET</c> or <c>HEAD</c> of <see cref="MetricsHttpServerOptions.Path"/> (query string
/// ignored) answers 200 with <see cref="PrometheusExporter.Collect()"/>; another path 404; another
/// method 405; a malformed request line 400; a request head over the size limit 431. One request
/// per connection (<c>Connection: close</c>). Each connection has a deadline for reading the request
/// and writing the response, so a client that sends nothing or reads nothing is dropped and cannot
/// hold up other scrapes; connections beyond the limit are closed at once.
/// </summary>
public sealed partial class MetricsHttpServer : IAsyncDisposable
{
    private static readonly byte[] s_headEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] s_headEndBare = "\n\n"u8.ToArray();

    private readonly TcpListener _listener;
    private readonly PrometheusExporter _exporter;
    private readonly MetricsHttpServerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _active;

    private MetricsHttpServer(TcpListener listener, PrometheusExporter exporter, MetricsHttpServerOptions options, ILogger logger)
    {
        _listener = listener;
        _exporter = exporter;
        _options = options;
        _logger = logger;
        LocalEndPoint = (IPEndPoint)listener.LocalEndpoint;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The bound address (with the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Binds <paramref name="endPoint"/> and starts serving.</summary>
    /// <exception cref="SocketException">The address cannot be bound (in use, not local, no permission).</exception>
    public static MetricsHttpServer Start(IPEndPoint endPoint, PrometheusExporter exporter, MetricsHttpServerOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(exporter);
        options ??= new MetricsHttpServerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRequestBytes, 64, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxConnections, nameof(options));

        var listener = new TcpListener(endPoint);
        if (endPoint.Address.Equals(IPAddress.IPv6Any))
        {
            listener.Server.DualMode = true;
        }

        try
        {
            listener.Start(backlog: 64);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new MetricsHttpServer(listener, exporter, options, logger ?? NullLogger.Instance);
    }

    /// <summary>Stops accepting, drops open connections and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        Task[] open;
        lock (_gate)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open).ConfigureAwait(false);
        _listener.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || _stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                LogAcceptFailed(_logger, e.SocketErrorCode);
                continue;
            }

            if (Interlocked.Increment(ref _active) > _options.MaxConnections)
            {
                Interlocked.Decrement(ref _active);
                LogTooManyConnections(_logger, _options.MaxConnections);
                socket.Dispose();
                continue;
            }

            var task = ServeAsync(socket);
            lock (_gate)
            {
                _connections.Add(task);
            }

            _ = task.ContinueWith(
                (t, state) =>
                {
                    var self = (MetricsHttpServer)state!;
                    lock (self._gate)
                    {
                        self._connections.Remove(t);
                    }
                },
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_options.MaxRequestBytes);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        deadline.CancelAfter(_options.RequestTimeout);
        try
        {
            var length = 0;
            var headEnd = -1;
            while (headEnd < 0)
            {
                if (length == _options.MaxRequestBytes)
                {
                    await RespondAsync(socket, 431, "Request Header Fields Too Large", null, head: false, deadline.Token).ConfigureAwait(false);
                    return;
                }

                var read = await socket.ReceiveAsync(buffer.AsMemory(length, _options.MaxRequestBytes - length), SocketFlags.None, deadline.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                length += read;
                headEnd = FindHeadEnd(buffer.AsSpan(0, length));
            }

            await HandleAsync(socket, buffer.AsSpan(0, headEnd), deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            LogTimedOut(_logger, _options.RequestTimeout.TotalSeconds);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping, or the client went away.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            socket.Dispose();
            Interlocked.Decrement(ref _active);
        }
    }

    private Task HandleAsync(Socket socket, ReadOnlySpan<byte> head, CancellationToken cancellationToken)
    {
        var lineEnd = head.IndexOf((byte)'\n');
        var requestLine = Encoding.ASCII.GetString(lineEnd < 0 ? head : head[..lineEnd]).TrimEnd('\r');
        var parts = requestLine.Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || parts[1].Length == 0)
        {
            return RespondAsync(socket, 400, "Bad Request", null, head: false, cancellationToken);
        }

        var method = parts[0];
        var target = parts[1];
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? target : target[..query];
        if (method is not ("GET" or "HEAD"))
        {
            return RespondAsync(socket, 405, "Method Not Allowed", null, head: false, cancellationToken);
        }

        var isHead = method == "HEAD";
        if (path != _options.Path)
        {
            return RespondAsync(socket, 404, "Not Found", null, isHead, cancellationToken);
        }

        string body;
        try
        {
            body = _exporter.Collect();
        }
        catch (Exception e)
        {
            LogCollectFailed(_logger, e);
            return RespondAsync(socket, 500, "Internal Server Error", null, isHead, cancellationToken);
        }

        return RespondAsync(socket, 200, "OK", body, isHead, cancellationToken);
    }

    private static async Task RespondAsync(Socket socket, int status, string reason, string? metrics, bool head, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(metrics ?? reason + "\n");
        var contentType = metrics is null ? "text/plain; charset=utf-8" : PrometheusExporter.ContentType;
        var allow = status == 405 ? "Allow: GET, HEAD\r\n" : string.Empty;
        var header = Encoding.ASCII.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n{allow}Connection: close\r\n\r\n"));
        await socket.SendAsync(header, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        if (!head)
        {
            await socket.SendAsync(body, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }

        socket.Shutdown(SocketShutdown.Send);
    }

    private static int FindHeadEnd(ReadOnlySpan<byte> received)
    {
        var crlf = received.IndexOf(s_headEnd);
        var lf = received.IndexOf(s_headEndBare);
        return (crlf, lf) switch
        {
            ( < 0, < 0) => -1,
            ( >= 0, < 0) => crlf,
            ( < 0, >= 0) => lf,
            _ => Math.Min(crlf, lf),
        };
    }

    [LoggerMessage(201, LogLevel.Debug, "metrics: dropped a connection that did not complete its request within {Seconds} s", EventName = "MetricsRequestTimedOut")]
    private static partial void LogTimedOut(ILogger logger, double seconds);

    [LoggerMessage(202, LogLevel.Debug, "metrics: refused a connection: {Max} already open", EventName = "MetricsTooManyConnections")]
    private static partial void LogTooManyConnections(ILogger logger, int max);

    [LoggerMessage(203, LogLevel.Debug, "metrics: accept failed: {Error}", EventName = "MetricsAcceptFailed")]
    private static partial void LogAcceptFailed(ILogger logger, SocketError error);

    [LoggerMessage(204, LogLevel.Error, "metrics: collecting failed", EventName = "MetricsCollectFailed")]
    private static partial void LogCollectFailed(ILogger logger, Exception exception);
}
