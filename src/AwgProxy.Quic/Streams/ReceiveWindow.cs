namespace AwgProxy.Quic.Streams;

/// <summary>
/// Flow control we impose on the peer (RFC 9000 sections 4.1 and 4.2): for one stream (MAX_STREAM_DATA) or for
/// the connection (MAX_DATA). Tracks the advertised <see cref="Limit"/>, the data received (highest stream
/// offset, or for the connection the sum of all streams' highest offsets) and the data the application consumed,
/// and decides when to advertise more and how much.
/// </summary>
/// <remarks>
/// <para>
/// Update rule: an update is due when less than half of <see cref="Window"/> remains between what the application
/// consumed and the advertised limit. The new limit is <c>Consumed + Window</c>.
/// </para>
/// <para>
/// Auto-tuning: each update starts an epoch (time and consumed offset). When the next update is taken, if the
/// bytes consumed in the epoch went faster than one window per four smoothed RTTs (with the half-window threshold:
/// updates needed less than about 2 × RTT apart), the window is too small for the bandwidth-delay product and is
/// doubled, up to <see cref="MaxWindow"/>. The first epoch starts at the first update (or
/// <see cref="StartEpoch"/>); with no RTT estimate yet (zero) nothing is tuned.
/// </para>
/// </remarks>
public sealed class ReceiveWindow
{
    private Instant _epochStart;
    private ulong _epochStartConsumed;
    private bool _epochStarted;
    private bool _resendPending;

    /// <param name="initialWindow">The limit advertised in the transport parameters.</param>
    /// <param name="maxWindow">The largest the window may grow to by auto-tuning (at least the initial window).</param>
    public ReceiveWindow(ulong initialWindow, ulong maxWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWindow, initialWindow);
        Window = initialWindow;
        MaxWindow = maxWindow;
        Limit = initialWindow;
    }

    /// <summary>The limit last advertised: the peer may send up to here.</summary>
    public ulong Limit { get; private set; }

    /// <summary>The current window size (credit advertised ahead of consumption).</summary>
    public ulong Window { get; private set; }

    public ulong MaxWindow { get; }

    /// <summary>The highest offset received (stream) or sum of highest offsets (connection).</summary>
    public ulong Received { get; private set; }

    /// <summary>Bytes the application has consumed (or that were released without being read).</summary>
    public ulong Consumed { get; private set; }

    /// <summary>Whether a MAX_DATA / MAX_STREAM_DATA frame should be sent (threshold reached or a resend requested).</summary>
    public bool IsUpdateDue => _resendPending || IsThresholdReached;

    private bool IsThresholdReached => Limit - Consumed < Window / 2 + Window % 2;

    /// <summary>Whether receiving up to <paramref name="received"/> stays within the limit. Changes nothing.</summary>
    public bool CanReceive(ulong received) => received <= Limit;

    /// <summary>Whether <paramref name="additional"/> more bytes stay within the limit. Changes nothing.</summary>
    public bool CanReceiveMore(ulong additional) => additional <= Limit - Received;

    /// <summary>
    /// Records data received up to the absolute offset <paramref name="received"/> (lower values are ignored).
    /// Returns FLOW_CONTROL_ERROR, changing nothing, when it exceeds the advertised limit.
    /// </summary>
    public TransportErrorCode OnReceived(ulong received)
    {
        if (received > Limit) return TransportErrorCode.FLOW_CONTROL_ERROR;
        if (received > Received) Received = received;
        return TransportErrorCode.NO_ERROR;
    }

    /// <summary>
    /// Records <paramref name="additional"/> newly received bytes (the increase of a stream's highest offset, for
    /// the connection-level window). Returns FLOW_CONTROL_ERROR, changing nothing, when the limit would be exceeded.
    /// </summary>
    public TransportErrorCode OnReceivedMore(ulong additional)
    {
        if (additional > Limit - Received) return TransportErrorCode.FLOW_CONTROL_ERROR;
        Received += additional;
        return TransportErrorCode.NO_ERROR;
    }

    /// <summary>The application consumed (or the stack released) <paramref name="bytes"/> received bytes.</summary>
    /// <exception cref="InvalidOperationException">Consuming more than was received.</exception>
    public void OnConsumed(ulong bytes)
    {
        if (bytes > Received - Consumed) throw new InvalidOperationException("Consuming more data than was received.");
        Consumed += bytes;
    }

    /// <summary>Starts the first auto-tuning epoch (e.g. when the stream opens) instead of at the first update.</summary>
    public void StartEpoch(Instant now)
    {
        _epochStart = now;
        _epochStartConsumed = Consumed;
        _epochStarted = true;
    }

    /// <summary>
    /// Computes the value for a MAX_DATA / MAX_STREAM_DATA frame and records it as advertised. When the threshold
    /// is reached the window may first be doubled (auto-tuning, see remarks) and the limit moves to
    /// <c>Consumed + Window</c>; a resend after loss just repeats the current limit.
    /// </summary>
    public ulong TakeUpdate(Instant now, TimeSpan smoothedRtt)
    {
        _resendPending = false;
        if (!IsThresholdReached) return Limit;

        if (_epochStarted && smoothedRtt > TimeSpan.Zero && Window < MaxWindow)
        {
            ulong consumedInEpoch = Consumed - _epochStartConsumed;
            TimeSpan elapsed = now - _epochStart;

            // Window consumed faster than one window per 4 RTT <=> elapsed * Window < 4 * RTT * consumed.
            if ((UInt128)(ulong)Math.Max(0, elapsed.Ticks) * Window < (UInt128)(ulong)smoothedRtt.Ticks * 4 * consumedInEpoch)
            {
                Window = Window > MaxWindow / 2 ? MaxWindow : Window * 2;
            }
        }

        _epochStart = now;
        _epochStartConsumed = Consumed;
        _epochStarted = true;
        Limit = Math.Max(Limit, Consumed + Window);
        return Limit;
    }

    /// <summary>A frame advertising <paramref name="limit"/> was lost: resend if it is still the current limit.</summary>
    public void OnUpdateLost(ulong limit)
    {
        if (limit == Limit) _resendPending = true;
    }

    /// <summary>
    /// Grows the window to at least <paramref name="window"/> (capped at <see cref="MaxWindow"/>); used to keep
    /// the connection window ahead of a stream window that auto-tuning enlarged. Takes effect at the next update.
    /// </summary>
    public void EnsureWindowAtLeast(ulong window)
    {
        ulong target = Math.Min(window, MaxWindow);
        if (target > Window) Window = target;
    }
}
