using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Tests.Simulation;

/// <summary>One stream of a <see cref="SimulationSpec"/>: who sends how many bytes.</summary>
/// <param name="FromClient">The client opens the stream and sends; otherwise the server does.</param>
/// <param name="Bytes">The payload, random bytes from the run's seed.</param>
internal readonly record struct SimulatedStream(bool FromClient, int Bytes);

/// <summary>
/// A fully specified simulation run: the links' impairments (applied to both directions unless a hook sets them
/// apart), the streams to move, the options, and the bounds the run must stay within.
/// </summary>
internal sealed class SimulationSpec
{
    public required string Family { get; init; }

    public required int Seed { get; init; }

    /// <summary>Configures each link; the second argument is true for the client-to-server link.</summary>
    public required Action<SimulatedLink, bool> ConfigureLink { get; init; }

    /// <summary>Runs once the pair exists, before the handshake (blackholes are placed here).</summary>
    public Action<Pair>? Prepare { get; init; }

    public Action<ConnectionOptions>? ConfigureOptions { get; init; }

    public required IReadOnlyList<SimulatedStream> Streams { get; init; }

    /// <summary>A connection error (of one of <see cref="AcceptedErrors"/>) is an acceptable end instead of a complete transfer.</summary>
    public IReadOnlyCollection<ConnectionErrorKind> AcceptedErrors { get; init; } = [];

    public TimeSpan MaxVirtualTime { get; init; } = TimeSpan.FromSeconds(300);

    public int MaxSteps { get; init; } = 2_000_000;

    /// <summary>The most sent packets one connection may track at once (a bound on its memory).</summary>
    public int MaxTrackedPackets { get; init; } = 8192;

    /// <summary>The most datagrams queued on a link at once.</summary>
    public int MaxLinkQueue { get; init; } = 20_000;

    public override string ToString() => $"{Family} seed {Seed}: {Describe?.Invoke() ?? ""}";

    /// <summary>A line naming the drawn parameters (for failure messages).</summary>
    public Func<string>? Describe { get; init; }
}

/// <summary>How a <see cref="SimulationRun"/> ended.</summary>
internal enum SimulationEnd
{
    /// <summary>Every stream arrived with the sent SHA-256 and both connections closed cleanly.</summary>
    Intact,

    /// <summary>A connection reported an error the scenario accepts (a dead path, an idle timeout).</summary>
    ReportedError,

    /// <summary>A defect: a corrupted payload, an unexpected error, an exception, a hang or a bound exceeded.</summary>
    Failed,
}

/// <summary>The result of a <see cref="SimulationRun"/>; <see cref="TraceHash"/> fingerprints every datagram sent.</summary>
internal sealed record SimulationOutcome(
    SimulationEnd End,
    string Detail,
    ulong TraceHash,
    Instant VirtualTime,
    int Steps,
    int MaxTrackedPackets,
    int MaxLinkQueue)
{
    public override string ToString() =>
        $"{End}: {Detail} (virtual {VirtualTime}, {Steps} steps, trace {TraceHash:x16}, tracked ≤ {MaxTrackedPackets}, queue ≤ {MaxLinkQueue})";
}

/// <summary>
/// Runs a <see cref="SimulationSpec"/> on a <see cref="Pair"/> in virtual time and classifies the end. Nothing
/// escapes: an exception, a hang (virtual time or steps beyond the bounds) or a memory bound exceeded is a
/// <see cref="SimulationEnd.Failed"/> outcome naming what happened.
/// </summary>
internal static class SimulationRun
{
    public static SimulationOutcome Execute(SimulationSpec spec)
    {
        Pair? pair = null;
        int maxTracked = 0;
        int maxQueue = 0;
        try
        {
            ClientConnectionOptions client = TestPeers.Client(spec.Seed);
            ServerConnectionOptions server = TestPeers.Server(spec.Seed + 1000);
            spec.ConfigureOptions?.Invoke(client);
            spec.ConfigureOptions?.Invoke(server);
            pair = new Pair(spec.Seed, client, server);
            foreach ((SimulatedLink link, bool toServer) in new[] { (pair.ToServer, true), (pair.ToClient, false) })
            {
                link.KeepLog = false;
                link.HashTrace = true;
                spec.ConfigureLink(link, toServer);
            }

            spec.Prepare?.Invoke(pair);
            Pair p = pair;
            Instant deadline = p.Now + spec.MaxVirtualTime;
            var transfers = new TransferSet(p);
            bool started = false;
            string? failure = null;
            p.OnStep += () =>
            {
                foreach (Connection connection in p.AllConnections) maxTracked = Math.Max(maxTracked, connection.SentPacketsOutstanding);
                maxQueue = Math.Max(maxQueue, Math.Max(p.ToServer.InFlight, p.ToClient.InFlight));
            };

            p.Connect();
            bool closeRequested = false;
            for (int steps = 0; ; steps++)
            {
                if (!started && p.HasServer && p.Client.State == ConnectionState.Connected && p.Server.State == ConnectionState.Connected)
                {
                    started = true;
                    var random = new Random(spec.Seed);
                    for (int i = 0; i < spec.Streams.Count; i++)
                    {
                        SimulatedStream stream = spec.Streams[i];
                        byte[] data = new byte[stream.Bytes];
                        random.NextBytes(data);
                        (Connection sender, Connection receiver) = stream.FromClient ? (p.Client, p.Server) : (p.Server, p.Client);
                        transfers.Start(sender, receiver, data, i % 2 == 0 ? StreamDirection.Bidirectional : StreamDirection.Unidirectional);
                    }
                }

                ConnectionError? error = FirstError(p);
                if (error is not null && closeRequested && error.Kind is ConnectionErrorKind.IdleTimeout or ConnectionErrorKind.StatelessReset or ConnectionErrorKind.PathDead)
                {
                    // Every stream arrived; the close and the closing period's answers were lost on the way (RFC 9000
                    // section 10.2 accepts that), and the client's handshake connection ID has no reset token: the
                    // server notices the end by a timeout.
                    return Outcome(SimulationEnd.Intact, $"{transfers.Transfers.Count} streams intact; the close was lost, the server ended by {error.Kind}");
                }

                if (error is not null)
                {
                    failure = spec.AcceptedErrors.Contains(error.Kind) ? null : $"unexpected connection error {error}";
                    if (failure is null) return Outcome(SimulationEnd.ReportedError, $"{error.Kind}: {error}");
                    break;
                }

                if (started && transfers.AllComplete && !closeRequested)
                {
                    // Every stream arrived: close as an application would, and expect both sides to wind down cleanly.
                    closeRequested = true;
                    foreach (StreamTransfer transfer in transfers.Transfers)
                    {
                        if (!transfer.IsIntact())
                        {
                            failure = $"stream {transfer.StreamId}: payload differs from what was sent ({transfer.BytesReceived} bytes received)";
                            break;
                        }
                    }

                    if (failure is not null) break;
                    p.Client.Close(p.Now, 0, "done"u8);
                }

                if (closeRequested && IsGone(p.Client) && (!p.HasServer || IsGone(p.Server)))
                {
                    ConnectionError? end = p.Server.Error;
                    if (end is not null && !end.IsNoError) failure = $"the server saw {end} instead of the client's close";
                    if (failure is null) return Outcome(SimulationEnd.Intact, $"{transfers.Transfers.Count} streams intact");
                    break;
                }

                if (maxTracked > spec.MaxTrackedPackets) { failure = $"{maxTracked} sent packets tracked at once (bound {spec.MaxTrackedPackets})"; break; }
                if (maxQueue > spec.MaxLinkQueue) { failure = $"{maxQueue} datagrams queued on a link (bound {spec.MaxLinkQueue})"; break; }
                if (p.Now > deadline || steps >= spec.MaxSteps)
                {
                    failure = $"hang: not finished within {spec.MaxVirtualTime.TotalSeconds} s virtual / {spec.MaxSteps} steps; " +
                        $"{transfers.Transfers.Count(t => t.IsComplete)} of {transfers.Transfers.Count} streams complete; {p.Describe()}";
                    break;
                }

                if (!p.Step())
                {
                    if (closeRequested || FirstError(p) is not null) continue;
                    failure = $"the simulation went idle with work left; {p.Describe()}";
                    break;
                }
            }

            return Outcome(SimulationEnd.Failed, failure ?? "unknown");
        }
        catch (Exception exception)
        {
            return Outcome(SimulationEnd.Failed, $"exception {exception}");
        }
        finally
        {
            pair?.Dispose();
        }

        SimulationOutcome Outcome(SimulationEnd end, string detail) => new(
            end,
            detail,
            pair is null ? 0 : pair.ToServer.TraceHash ^ (pair.ToClient.TraceHash * 31),
            pair?.Now ?? Instant.Zero,
            pair?.Steps ?? 0,
            maxTracked,
            maxQueue);
    }

    private static bool IsGone(Connection connection) => connection.State is ConnectionState.Draining or ConnectionState.Closed or ConnectionState.Closing;

    /// <summary>The error of a connection that ended for any reason other than the application's own close.</summary>
    private static ConnectionError? FirstError(Pair pair)
    {
        foreach (Connection connection in pair.AllConnections)
        {
            if (connection.Error is { } error && !error.IsNoError) return error;
        }

        return null;
    }
}
