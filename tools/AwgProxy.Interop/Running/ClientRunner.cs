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
/// The <c>client</c> command: <c>-conns</c> sequential connections, each running <c>-streams</c> parallel
/// transfers that share <c>-bytes</c> (stream i gets bytes/k, the first bytes%k streams one more), over the
/// raw interop-test protocol or, when the server picks ALPN <c>h3</c>, HTTP/3 <c>GET /&lt;share&gt;</c>.
/// Prints <c>connected: …</c>, a <c>stats: …</c> line and, last, the RESULT line (see
/// <see cref="ResultLine"/>, <see cref="TransferDigest"/>). MiB_per_s is bytes/2^20 over the summed transfer
/// time of the connections (from handshake completion to the last stream's end; handshakes excluded).
/// </summary>
public sealed class ClientRunner
{
    private readonly ClientFlags _flags;
    private readonly IInteropTransportFactory _factory;
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;

    public ClientRunner(ClientFlags flags, IInteropTransportFactory factory, TextWriter stdout, TextWriter stderr)
    {
        _flags = flags;
        _factory = factory;
        _stdout = stdout;
        _stderr = stderr;
    }

    /// <summary>Runs the client and returns the exit code; the RESULT line is always the last line written to stdout.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        if (_flags.Timeout > TimeSpan.Zero)
        {
            timeout.CancelAfter(_flags.Timeout);
        }
        else
        {
            await timeout.CancelAsync().ConfigureAwait(false);
        }

        string reason;
        try
        {
            string result = await RunCoreAsync(linked.Token).ConfigureAwait(false);
            _stdout.WriteLine(result);
            return ExitCode.Success;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            reason = $"timeout after {GoDuration.Format(_flags.Timeout)}";
        }
        catch (OperationCanceledException)
        {
            reason = "interrupted";
        }
        catch (InteropTransferException ex)
        {
            reason = ex.Message;
        }
        catch (Exception ex)
        {
            // Whatever the transport throws, the RESULT line stays the last line.
            reason = ex is IOException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            _stderr.WriteLine(ex);
        }

        _stdout.WriteLine(ResultLine.Fail(reason));
        return ExitCode.Failure;
    }

    private async Task<string> RunCoreAsync(CancellationToken cancellationToken)
    {
        InteropClientOptions options = await CreateOptionsAsync(cancellationToken).ConfigureAwait(false);
        using var digest = new TransferDigest(_flags.Streams);
        TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        long wallStart = Stopwatch.GetTimestamp();
        TimeSpan handshakes = TimeSpan.Zero;
        TimeSpan transfer = TimeSpan.Zero;
        long total = 0;
        string alpn = string.Empty;
        for (int c = 0; c < _flags.Connections; c++)
        {
            long dialStart = Stopwatch.GetTimestamp();
            IInteropConnection connection = await ConnectAsync(options, cancellationToken).ConfigureAwait(false);
            try
            {
                TimeSpan handshake = Stopwatch.GetElapsedTime(dialStart);
                handshakes += handshake;
                alpn = connection.NegotiatedAlpn;
                if (c == 0)
                {
                    _stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"connected: alpn={alpn} cipher={connection.NegotiatedCipherSuite?.ToString() ?? "unknown"} group={Describe(connection.NegotiatedGroup)} handshake={handshake.TotalMilliseconds:F2}ms"));
                }

                if (_flags.Mode == ClientMode.Handshake)
                {
                    await connection.CloseAsync(InteropTestErrorCode.NoError, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                long transferStart = Stopwatch.GetTimestamp();
                await TransferAsync(connection, digest, cancellationToken).ConfigureAwait(false);
                transfer += Stopwatch.GetElapsedTime(transferStart);
                total += _flags.Bytes;
                digest.CompleteConnection();
            }
            finally
            {
                await StreamDisposal.DisposeQuietlyAsync(connection).ConfigureAwait(false);
            }
        }

        TimeSpan wall = Stopwatch.GetElapsedTime(wallStart);
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
        if (_flags.Mode == ClientMode.Handshake)
        {
            _stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"stats: mode=handshake conns={_flags.Connections} avg_handshake_ms={handshakes.TotalMilliseconds / _flags.Connections:F3} wall_s={wall.TotalSeconds:F3} client_cpu_s={cpu:F3}"));
            return ResultLine.Ok(0, _flags.Hash ? digest.Finish() : [], 0);
        }

        double seconds = transfer.TotalSeconds;
        double gib = total / (double)(1L << 30);
        _stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"stats: mode={_flags.Mode.ToString().ToLowerInvariant()} alpn={alpn} conns={_flags.Connections} streams={_flags.Streams} bytes={total} wall_s={wall.TotalSeconds:F3} transfer_s={seconds:F3} avg_handshake_ms={handshakes.TotalMilliseconds / _flags.Connections:F3} Mbit_per_s={(seconds > 0 ? total * 8 / 1e6 / seconds : 0):F1} client_cpu_s={cpu:F3} client_cpu_s_per_GiB={(gib > 0 ? cpu / gib : 0):F3}"));
        return ResultLine.Ok(total, _flags.Hash ? digest.Finish() : [], ResultLine.MebibytesPerSecond(total, transfer));
    }

    /// <summary>Runs every stream of one connection; the first failure cancels the others.</summary>
    private async Task TransferAsync(IInteropConnection connection, TransferDigest digest, CancellationToken cancellationToken)
    {
        bool h3 = connection.NegotiatedAlpn == "h3";
        if (h3 && _flags.Mode != ClientMode.Get)
        {
            throw new InteropTransferException($"mode {_flags.Mode.ToString().ToLowerInvariant()} is not available over ALPN h3 (only get)");
        }

        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Http3Client? http3 = h3 ? await Http3Client.StartAsync(connection, _flags.ServerName, log: null, failFast.Token).ConfigureAwait(false) : null;
        try
        {
            var streams = new Task[_flags.Streams];
            for (int i = 0; i < streams.Length; i++)
            {
                long share = ShareOf(_flags.Bytes, _flags.Streams, i);
                var sink = new PayloadSink(_flags.Hash ? digest.ForStream(i) : null, _flags.Verify);
                Task run = http3 is not null
                    ? http3.GetAsync(share, sink, failFast.Token)
                    : InteropTestClient.RunStreamAsync(connection, _flags.Mode, share, sink, failFast.Token);
                streams[i] = CancelOthersOnFailure(run, failFast);
            }

            await Task.WhenAll(streams).ConfigureAwait(false);
            await connection.CloseAsync(h3 ? Http3ErrorCode.NoError : InteropTestErrorCode.NoError, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (http3 is not null)
            {
                await http3.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stream <paramref name="index"/>'s share of <paramref name="bytes"/> split over <paramref name="streams"/>.</summary>
    public static long ShareOf(long bytes, int streams, int index) => bytes / streams + (index < bytes % streams ? 1 : 0);

    private static async Task CancelOthersOnFailure(Task run, CancellationTokenSource failFast)
    {
        try
        {
            await run.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await failFast.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<IInteropConnection> ConnectAsync(InteropClientOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await _factory.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _stderr.WriteLine(ex);
            throw new InteropTransferException($"dial: {ex.Message}", ex);
        }
    }

    private async Task<InteropClientOptions> CreateOptionsAsync(CancellationToken cancellationToken)
    {
        IPEndPoint remote;
        try
        {
            remote = await HostPort.ResolveAsync(_flags.Address, IPAddress.Loopback, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FormatException or SocketException)
        {
            throw new InteropTransferException($"dial: {ex.Message}", ex);
        }

        return new InteropClientOptions
        {
            RemoteEndPoint = remote,
            ApplicationProtocols = _flags.ApplicationProtocols,
            ServerName = _flags.ServerName,
            CaCertificatePemPath = _flags.CaFile.Length == 0 ? null : _flags.CaFile,
            Groups = _flags.Groups,
            CipherSuites = _flags.CipherSuites,
            IdleTimeout = TimeSpan.FromSeconds(30),
            KeyLogPath = OrEnvironment(_flags.KeyLogPath, "SSLKEYLOGFILE"),
            QlogDirectory = OrEnvironment(_flags.QlogDirectory, "QLOGDIR"),
            MaxStreamReceiveWindow = _flags.MaxStreamReceiveWindow,
            MaxConnectionReceiveWindow = _flags.MaxConnectionReceiveWindow,
        };
    }

    internal static string? OrEnvironment(string value, string variable)
    {
        if (value.Length > 0)
        {
            return value;
        }

        string? fromEnvironment = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrEmpty(fromEnvironment) ? null : fromEnvironment;
    }

    internal static string Describe(InteropKeyExchangeGroup? group) => group switch
    {
        null => "unknown",
        InteropKeyExchangeGroup.X25519 => "x25519",
        InteropKeyExchangeGroup.Secp256r1 => "secp256r1",
        InteropKeyExchangeGroup.Secp384r1 => "secp384r1",
        InteropKeyExchangeGroup.Secp521r1 => "secp521r1",
        _ => group.Value.ToString(),
    };
}
