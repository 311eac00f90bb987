using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AwgProxy.Interop.Cli;
using AwgProxy.Interop.Http3;
using AwgProxy.Interop.Protocols;
using AwgProxy.Interop.Transport;

namespace AwgProxy.Interop.Running;

/// <summary>
/// The <c>server</c> command, like quicgo-peer's <c>runServer</c>: listens, serves each connection with
/// the protocol its ALPN names (<c>h3</c> → <see cref="Http3Server"/>, anything else →
/// <see cref="InteropTestServer"/>), and exits after <c>-lifetime</c>, after <c>-max-conns</c> connections
/// have finished, or when cancelled (SIGINT/SIGTERM).
/// </summary>
public sealed class ServerRunner
{
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(2);

    private readonly ServerFlags _flags;
    private readonly IInteropTransportFactory _factory;
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;
    private readonly TextWriter? _log;
    private int _finished;

    public ServerRunner(ServerFlags flags, IInteropTransportFactory factory, TextWriter stdout, TextWriter stderr)
    {
        _flags = flags;
        _factory = factory;
        _stdout = stdout;
        _stderr = stderr;
        _log = flags.Verbose ? stdout : null;
    }

    /// <summary>Invoked with the bound address once the listener is up (tests use it to start a client).</summary>
    public event Action<EndPoint>? Listening;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        IPEndPoint listen;
        try
        {
            listen = await HostPort.ResolveAsync(_flags.Listen, IPAddress.Any, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FormatException or SocketException)
        {
            _stderr.WriteLine($"error: listen: {ex.Message}");
            return ExitCode.Failure;
        }

        using EphemeralCertificate? ephemeral = _flags.CertificateFile.Length == 0 ? EphemeralCertificate.Create() : null;
        var options = new InteropServerOptions
        {
            ListenEndPoint = listen,
            ApplicationProtocols = _flags.ApplicationProtocols,
            CertificatePemPath = ephemeral?.CertificatePemPath ?? _flags.CertificateFile,
            PrivateKeyPemPath = ephemeral?.PrivateKeyPemPath ?? _flags.KeyFile,
            Groups = _flags.Groups,
            CipherSuites = _flags.CipherSuites,
            Retry = _flags.Retry,
            IdleTimeout = _flags.IdleTimeout,
            KeyLogPath = ClientRunner.OrEnvironment(_flags.KeyLogPath, "SSLKEYLOGFILE"),
            QlogDirectory = ClientRunner.OrEnvironment(_flags.QlogDirectory, "QLOGDIR"),
            MaxStreamReceiveWindow = _flags.MaxStreamReceiveWindow,
            MaxConnectionReceiveWindow = _flags.MaxConnectionReceiveWindow,
        };

        IInteropListener listener;
        try
        {
            listener = await _factory.ListenAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _stderr.WriteLine($"error: listen: {ex.Message}");
            _stderr.WriteLine(ex);
            return ExitCode.Failure;
        }

        TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_flags.Lifetime > TimeSpan.Zero)
        {
            stop.CancelAfter(_flags.Lifetime);
        }
        else
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }

        var handlers = new List<Task>();
        await using (listener.ConfigureAwait(false))
        {
            _stdout.WriteLine($"AwgProxy.Interop server listening on {listener.LocalEndPoint} alpn={string.Join(',', _flags.ApplicationProtocols)} retry={(_flags.Retry ? "true" : "false")}");
            Listening?.Invoke(listener.LocalEndPoint);
            try
            {
                while (true)
                {
                    IInteropConnection connection = await listener.AcceptConnectionAsync(stop.Token).ConfigureAwait(false);
                    handlers.RemoveAll(task => task.IsCompleted);
                    handlers.Add(ServeConnectionAsync(connection, stop));
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or IOException)
            {
                // Lifetime over, -max-conns reached, or a signal.
            }
        }

        Task all = Task.WhenAll(handlers);
        await Task.WhenAny(all, Task.Delay(s_drainTimeout, CancellationToken.None)).ConfigureAwait(false);
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
        _stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"server exit: connections={Volatile.Read(ref _finished)} cpu_s={cpu:F3}"));
        return ExitCode.Success;
    }

    private async Task ServeConnectionAsync(IInteropConnection connection, CancellationTokenSource stop)
    {
        try
        {
            _log?.WriteLine($"conn from {connection.RemoteEndPoint} alpn={connection.NegotiatedAlpn} cipher={connection.NegotiatedCipherSuite?.ToString() ?? "unknown"} group={ClientRunner.Describe(connection.NegotiatedGroup)}");
            Task serve = connection.NegotiatedAlpn == "h3"
                ? new Http3Server(_log).ServeConnectionAsync(connection, stop.Token)
                : new InteropTestServer(_log).ServeConnectionAsync(connection, stop.Token);
            await serve.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // One broken connection must not take the server down.
            _stderr.WriteLine($"conn {connection.RemoteEndPoint}: {ex}");
        }
        finally
        {
            if (_log is not null && connection.StatisticsSummary is { } summary) _log.WriteLine($"conn {connection.RemoteEndPoint} closed: {summary}");
            await StreamDisposal.DisposeQuietlyAsync(connection).ConfigureAwait(false);
            int finished = Interlocked.Increment(ref _finished);
            if (_flags.MaxConnections > 0 && finished >= _flags.MaxConnections)
            {
                try
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                }
                catch (ObjectDisposedException)
                {
                    // The server already stopped and this handler outlived the drain timeout.
                }
            }
        }
    }
}
