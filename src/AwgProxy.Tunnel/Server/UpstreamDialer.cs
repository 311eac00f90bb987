using System.Net;
using System.Net.Sockets;
using AwgProxy.Tunnel.Protocol;

namespace AwgProxy.Tunnel.Server;

/// <summary>
/// Connects to a destination for the server: resolves the name, applies the egress policy to every
/// address, and races connects in a Happy Eyeballs order (RFC 8305, simplified) under one overall
/// connect timeout.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A denied port → <see cref="TunnelStatus.NotAllowedByRuleset"/> before anything else.</item>
/// <item>An IP literal (also one sent as a name) is not resolved. A name that does not resolve → 4
/// (<see cref="DialErrorMapping.FromResolveError"/>).</item>
/// <item>Addresses the policy refuses are dropped; if none is left → 2. Only the normalized,
/// allowed addresses are dialed.</item>
/// <item>Order: the resolver's first address family first, then alternating families (RFC 8305
/// section 4). A new attempt starts every <c>attemptDelay</c> (250 ms) while earlier ones are
/// pending, or at once when one fails; the first to connect wins and the others are canceled.</item>
/// <item>The whole dial (resolution included) ends after <c>connectTimeout</c> → 6. When every
/// attempt failed, the most telling error is reported (<see cref="DialErrorMapping.Rank"/>).</item>
/// </list>
/// </remarks>
public sealed class UpstreamDialer
{
    /// <summary>RFC 8305's recommended Connection Attempt Delay.</summary>
    public static readonly TimeSpan DefaultAttemptDelay = TimeSpan.FromMilliseconds(250);

    private readonly EgressPolicy _policy;
    private readonly TimeSpan _connectTimeout;
    private readonly TimeSpan _attemptDelay;
    private readonly TimeProvider _timeProvider;
    private readonly HostResolver _resolver;
    private readonly SocketConnector _connector;

    public UpstreamDialer(
        EgressPolicy policy,
        TimeSpan connectTimeout,
        TimeSpan attemptDelay,
        TimeProvider? timeProvider = null,
        HostResolver? resolver = null,
        SocketConnector? connector = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(connectTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(attemptDelay, TimeSpan.Zero);
        _policy = policy;
        _connectTimeout = connectTimeout;
        _attemptDelay = attemptDelay;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _resolver = resolver ?? Dns.GetHostAddressesAsync;
        _connector = connector ?? ConnectSocketAsync;
    }

    /// <summary>The default connector: a TCP socket with Nagle off.</summary>
    public static async Task<Socket> ConnectSocketAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Dials <paramref name="destination"/>. Never throws for network failures (they are statuses);
    /// throws <see cref="OperationCanceledException"/> only when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task<DialResult> DialAsync(TunnelDestination destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!_policy.IsPortAllowed(destination.Port))
        {
            return DialResult.Refused(EgressVerdict.DeniedPort);
        }

        using var timeout = new CancellationTokenSource(_connectTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);

        IPAddress[] addresses;
        if (destination.Address is { } literal)
        {
            addresses = [literal];
        }
        else if (IPAddress.TryParse(destination.Host, out IPAddress? parsed))
        {
            addresses = [parsed];
        }
        else
        {
            try
            {
                addresses = await _resolver(destination.Host!, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return DialResult.Failed(TunnelStatus.TtlExpired, null, SocketError.TimedOut);
            }
            catch (SocketException ex)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return DialResult.Failed(DialErrorMapping.FromResolveError(ex.SocketErrorCode), null, ex.SocketErrorCode);
            }
            catch (ArgumentException)
            {
                // The resolver rejects names no DNS server could answer.
                return DialResult.Failed(TunnelStatus.HostUnreachable, null, SocketError.HostNotFound);
            }
        }

        if (addresses.Length == 0)
        {
            return DialResult.Failed(TunnelStatus.HostUnreachable, null, SocketError.NoData);
        }

        var allowed = new List<IPAddress>(addresses.Length);
        EgressVerdict firstRefusal = EgressVerdict.Allowed;
        foreach (IPAddress address in addresses)
        {
            EgressVerdict verdict = _policy.Evaluate(address);
            if (verdict == EgressVerdict.Allowed)
            {
                IPAddress normalized = EgressPolicy.Normalize(address);
                if (!allowed.Contains(normalized))
                {
                    allowed.Add(normalized);
                }
            }
            else if (firstRefusal == EgressVerdict.Allowed)
            {
                firstRefusal = verdict;
            }
        }

        if (allowed.Count == 0)
        {
            return DialResult.Refused(firstRefusal);
        }

        return await ConnectAsync(Interleave(allowed), destination.Port, timeout, linked.Token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>RFC 8305 section 4: the first address's family first, then alternate families.</summary>
    internal static List<IPAddress> Interleave(IReadOnlyList<IPAddress> addresses)
    {
        if (addresses.Count == 0)
        {
            return [];
        }

        AddressFamily firstFamily = addresses[0].AddressFamily;
        var first = new Queue<IPAddress>();
        var other = new Queue<IPAddress>();
        foreach (IPAddress address in addresses)
        {
            (address.AddressFamily == firstFamily ? first : other).Enqueue(address);
        }

        var ordered = new List<IPAddress>(addresses.Count);
        while (first.Count > 0 || other.Count > 0)
        {
            if (first.TryDequeue(out IPAddress? a)) ordered.Add(a);
            if (other.TryDequeue(out IPAddress? b)) ordered.Add(b);
        }

        return ordered;
    }

    private async Task<DialResult> ConnectAsync(
        List<IPAddress> ordered,
        int port,
        CancellationTokenSource timeout,
        CancellationToken token,
        CancellationToken callerToken)
    {
        using var attemptsCts = CancellationTokenSource.CreateLinkedTokenSource(token);
        var pending = new List<Task<Socket>>(ordered.Count);
        var endPoints = new Dictionary<Task<Socket>, IPEndPoint>(ordered.Count);
        int next = 0;
        Task? stagger = null;
        TunnelStatus best = TunnelStatus.GeneralFailure;
        SocketError? bestError = null;
        IPEndPoint? lastEndPoint = null;

        void StartNext()
        {
            var endPoint = new IPEndPoint(ordered[next++], port);

            // The stagger timer first: it is measured from the start of this attempt.
            stagger = next < ordered.Count ? Task.Delay(_attemptDelay, _timeProvider, attemptsCts.Token) : null;
            Task<Socket> attempt = AttemptAsync(endPoint, attemptsCts.Token);
            pending.Add(attempt);
            endPoints[attempt] = endPoint;
            lastEndPoint = endPoint;
        }

        StartNext();
        while (pending.Count > 0)
        {
            Task done = stagger is null
                ? await Task.WhenAny(pending).ConfigureAwait(false)
                : await Task.WhenAny([.. pending, stagger]).ConfigureAwait(false);

            if (done == stagger)
            {
                stagger = null;
                if (!token.IsCancellationRequested && next < ordered.Count)
                {
                    StartNext();
                }

                continue;
            }

            var attempt = (Task<Socket>)done;
            pending.Remove(attempt);
            if (attempt.IsCompletedSuccessfully)
            {
                Socket socket = attempt.Result;
                if (token.IsCancellationRequested)
                {
                    // Connected just as the deadline passed; the deadline wins.
                    socket.Dispose();
                    continue;
                }

                await attemptsCts.CancelAsync().ConfigureAwait(false);
                foreach (Task<Socket> loser in pending)
                {
                    DisposeWhenDone(loser);
                }

                return new DialResult(TunnelStatus.Succeeded, socket, endPoints[attempt], EgressVerdict.Allowed, null);
            }

            if (attempt.Exception?.InnerException is SocketException socketError)
            {
                TunnelStatus status = DialErrorMapping.FromConnectError(socketError.SocketErrorCode);
                if (bestError is null || DialErrorMapping.Rank(status) > DialErrorMapping.Rank(best))
                {
                    best = status;
                    bestError = socketError.SocketErrorCode;
                }
            }

            if (!token.IsCancellationRequested && next < ordered.Count)
            {
                StartNext();
            }
        }

        callerToken.ThrowIfCancellationRequested();
        if (timeout.IsCancellationRequested)
        {
            return DialResult.Failed(TunnelStatus.TtlExpired, lastEndPoint, SocketError.TimedOut);
        }

        return DialResult.Failed(best, lastEndPoint, bestError);
    }

    private async Task<Socket> AttemptAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        // Async so that a connector that throws synchronously yields a faulted task.
        await Task.Yield();
        return await _connector(endPoint, cancellationToken).ConfigureAwait(false);
    }

    private static void DisposeWhenDone(Task<Socket> attempt) =>
        attempt.ContinueWith(
            static t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    t.Result.Dispose();
                }
                else
                {
                    _ = t.Exception;
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
}
