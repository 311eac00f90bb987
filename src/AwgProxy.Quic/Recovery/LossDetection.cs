using AwgProxy.Quic.Congestion;

namespace AwgProxy.Quic.Recovery;

/// <summary>
/// Loss detection for one connection (RFC 9002 section 6 and Appendix A): sent packets per packet number space,
/// acknowledgment processing, packet- and time-threshold loss, the probe timeout, persistent congestion, bytes in
/// flight, and the single loss detection timer. It drives the <see cref="ICongestionController"/> and updates the
/// <see cref="RttEstimator"/>.
/// </summary>
/// <remarks>
/// <para>How a connection drives it:</para>
/// <list type="bullet">
/// <item>Before building an in-flight packet: <see cref="CanSend"/> (or <see cref="PendingProbes"/> &gt; 0 for
/// probes, which ignore the congestion window). ACK-only packets are not congestion controlled.</item>
/// <item>After sending each packet: <see cref="OnPacketSent"/>.</item>
/// <item>For each ACK frame: <see cref="AcknowledgesUnsentPacket"/> (true: close with PROTOCOL_VIOLATION), then
/// <see cref="OnAckReceived{TCallbacks}"/>.</item>
/// <item>When <see cref="LossDetectionDeadline"/> is reached: <see cref="OnLossDetectionTimeout{TCallbacks}"/>,
/// then send the probes it asks for.</item>
/// <item>On key discard, 0-RTT rejection or Retry: <see cref="DiscardSpace{TCallbacks}"/>. On handshake
/// confirmation: <see cref="OnHandshakeConfirmed"/>. Client with Handshake keys:
/// <see cref="OnHandshakeKeysAvailable"/>. Server amplification limit: <see cref="SetAntiAmplificationLimited"/>.</item>
/// </list>
/// <para>
/// Persistent congestion is judged per packet number space (RFC 9002 section 7.6.2 allows this): the two lost
/// packets and the acknowledged-in-between check come from the space whose acknowledgment declared them lost.
/// </para>
/// </remarks>
public sealed class LossDetection
{
    /// <summary>kPacketThreshold (RFC 9002 section 6.1.1).</summary>
    public const int PacketThreshold = 3;

    /// <summary>Probe packets asked for on a PTO (RFC 9002 section 6.2.4 allows one or two).</summary>
    public const int ProbePacketsPerTimeout = 2;

    /// <summary>The peer's max_ack_delay until its transport parameters say otherwise (RFC 9000 section 18.2).</summary>
    public static readonly TimeSpan DefaultMaxAckDelay = TimeSpan.FromMilliseconds(25);

    private const int SpaceCount = 3;

    private readonly SentPacketTracker[] _spaces = new SentPacketTracker[SpaceCount];
    private readonly int[] _pendingProbes = new int[SpaceCount];
    private readonly DeliveryRateEstimator _rate = new();
    private TimeSpan _peerMaxAckDelay = DefaultMaxAckDelay;
    private long _bytesInFlight;
    private int _ptoCount;
    private Instant _timer = Instant.Never;

    private long _packetsSent;
    private long _packetsAcked;
    private long _packetsLost;
    private long _bytesLost;
    private long _probeTimeouts;
    private long _congestionEvents;
    private long _ecnCongestionEvents;
    private long _persistentCongestionEvents;
    private long _probesLost;
    private bool _isApplicationLimited;

    /// <param name="isServer">Servers never need the client's anti-deadlock probe.</param>
    /// <param name="congestionController">The path's controller; this class reports every in-flight packet to it.</param>
    /// <param name="rtt">The path's RTT estimate (a new one with the default initial RTT when null).</param>
    public LossDetection(bool isServer, ICongestionController congestionController, RttEstimator? rtt = null)
    {
        ArgumentNullException.ThrowIfNull(congestionController);
        IsServer = isServer;
        CongestionController = congestionController;
        Rtt = rtt ?? new RttEstimator();
        for (int i = 0; i < SpaceCount; i++) _spaces[i] = new SentPacketTracker((PacketNumberSpace)i);
    }

    public bool IsServer { get; }

    public RttEstimator Rtt { get; private set; }

    public ICongestionController CongestionController { get; private set; }

    /// <summary>
    /// The connection moved to another path (RFC 9000 section 9.4): go on with <paramref name="congestionController"/>
    /// and <paramref name="rtt"/> (fresh ones for a new path, the saved ones when returning to the old path). Packets in
    /// flight stay tracked; their acknowledgments and losses now reach the new controller.
    /// </summary>
    public void ReplacePathState(ICongestionController congestionController, RttEstimator rtt)
    {
        ArgumentNullException.ThrowIfNull(congestionController);
        ArgumentNullException.ThrowIfNull(rtt);
        CongestionController = congestionController;
        Rtt = rtt;
    }

    /// <summary>
    /// The peer's max_ack_delay transport parameter: added to the Application Data PTO and the persistent
    /// congestion duration, and caps the ACK Delay once the handshake is confirmed.
    /// </summary>
    public TimeSpan PeerMaxAckDelay
    {
        get => _peerMaxAckDelay;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _peerMaxAckDelay = value;
        }
    }

    /// <summary>The handshake is confirmed (RFC 9001 section 4.1.2).</summary>
    public bool IsHandshakeConfirmed { get; private set; }

    /// <summary>The client has Handshake keys (its anti-deadlock probe is then a Handshake packet).</summary>
    public bool HasHandshakeKeys { get; private set; }

    /// <summary>An ACK frame arrived in the Handshake space.</summary>
    public bool HasReceivedHandshakeAck { get; private set; }

    /// <summary>The server cannot send because of the anti-amplification limit (RFC 9000 section 8.1).</summary>
    public bool IsAtAntiAmplificationLimit { get; private set; }

    /// <summary>
    /// RFC 9002 Appendix A.6: a server's peer always has; a client's once the server acknowledged a Handshake packet
    /// or the handshake is confirmed. Until then the client keeps probing and never resets the PTO backoff.
    /// </summary>
    public bool PeerCompletedAddressValidation => IsServer || HasReceivedHandshakeAck || IsHandshakeConfirmed;

    /// <summary>
    /// Set by the connection after each send attempt: true when it stopped for lack of data (or flow control
    /// credit) although the window had room, false when the window or the pacer stopped it (RFC 9002 section 7.8).
    /// Passed to the controller with each acknowledgment.
    /// </summary>
    public bool IsApplicationLimited
    {
        get => _isApplicationLimited;
        set
        {
            _isApplicationLimited = value;
            if (value) _rate.OnApplicationLimited(_bytesInFlight);
        }
    }

    /// <summary>The delivery-rate estimator whose samples go to the controller with each ACK frame.</summary>
    public DeliveryRateEstimator DeliveryRate => _rate;

    /// <summary>ECN validation of the path: the codepoint outgoing datagrams carry (RFC 9000 section 13.4.2).</summary>
    public EcnValidator Ecn { get; } = new();

    /// <summary>pto_count: probe timeouts since the last acknowledgment that reset it.</summary>
    public int PtoCount => _ptoCount;

    /// <summary>bytes_in_flight across all packet number spaces.</summary>
    public long BytesInFlight => _bytesInFlight;

    public long CongestionWindow => CongestionController.CongestionWindow;

    /// <summary>
    /// When <see cref="OnLossDetectionTimeout{TCallbacks}"/> must be called (time-threshold loss or PTO), or
    /// <see cref="Instant.Never"/>. Put it in the connection's timer table; re-read it after every call here.
    /// </summary>
    public Instant LossDetectionDeadline => _timer;

    /// <summary>The sent packets and per-space variables of <paramref name="space"/> (read-only use).</summary>
    public SentPacketTracker GetSentPackets(PacketNumberSpace space) => _spaces[(int)space];

    /// <summary>True when an in-flight packet of <paramref name="bytes"/> fits in the congestion window.</summary>
    public bool CanSend(int bytes) => _bytesInFlight + bytes <= CongestionController.CongestionWindow;

    /// <summary>Probe packets still owed in <paramref name="space"/> after a PTO; they ignore the congestion window.</summary>
    public int PendingProbes(PacketNumberSpace space) => _pendingProbes[(int)space];

    /// <summary>True when any space still owes probe packets.</summary>
    public bool HasPendingProbes => _pendingProbes[0] + _pendingProbes[1] + _pendingProbes[2] > 0;

    /// <summary>True when <paramref name="space"/> has ack-eliciting packets neither acknowledged nor lost.</summary>
    public bool HasAckElicitingInFlight(PacketNumberSpace space) => _spaces[(int)space].AckElicitingInFlight > 0;

    /// <summary>The largest packet number the peer acknowledged in <paramref name="space"/> (for packet number encoding).</summary>
    public bool TryGetLargestAcked(PacketNumberSpace space, out ulong largestAcked)
    {
        SentPacketTracker tracker = _spaces[(int)space];
        largestAcked = tracker.LargestAcked;
        return tracker.HasLargestAcked;
    }

    /// <summary>
    /// Records a sent packet (RFC 9002 Appendix A.5). Packet numbers must increase within a space.
    /// </summary>
    /// <param name="space">The packet's packet number space.</param>
    /// <param name="packetNumber">Its full packet number.</param>
    /// <param name="now">When it was sent.</param>
    /// <param name="bytes">Its size including QUIC header and AEAD tag (not UDP/IP).</param>
    /// <param name="isAckEliciting">It holds a frame other than ACK, PADDING and CONNECTION_CLOSE.</param>
    /// <param name="isInFlight">It counts toward bytes in flight: ack-eliciting or carrying PADDING.</param>
    /// <param name="token">The caller's handle, returned in the callbacks.</param>
    /// <param name="ecn">The ECN codepoint of the datagram that carried it (see <see cref="Ecn"/>).</param>
    /// <param name="isPathMtuProbe">A DPLPMTUD probe: its loss is not a congestion signal (RFC 9000 section 14.4).</param>
    public void OnPacketSent(
        PacketNumberSpace space,
        ulong packetNumber,
        Instant now,
        int bytes,
        bool isAckEliciting,
        bool isInFlight,
        long token = 0,
        EcnCodepoint ecn = EcnCodepoint.NotEct,
        bool isPathMtuProbe = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (isAckEliciting && !isInFlight)
        {
            throw new ArgumentException("Ack-eliciting packets are always in flight.", nameof(isInFlight));
        }

        SentPacketTracker tracker = _spaces[(int)space];
        var packet = new SentPacket(packetNumber, now, bytes, isAckEliciting, isInFlight, token) { Ecn = ecn, IsPathMtuProbe = isPathMtuProbe };
        if (isInFlight) packet = _rate.Stamp(in packet, _bytesInFlight);
        tracker.Add(in packet);
        Ecn.OnPacketSent(space, ecn);
        _packetsSent++;

        if (isAckEliciting && _pendingProbes[(int)space] > 0) _pendingProbes[(int)space]--;
        if (!isInFlight) return;

        if (isAckEliciting)
        {
            tracker.TimeOfLastAckEliciting = now;
            tracker.AckElicitingInFlight++;
        }
        tracker.BytesInFlight += bytes;
        _bytesInFlight += bytes;
        CongestionController.OnPacketSent(now, bytes, _bytesInFlight);
        SetLossDetectionTimer(now);
    }

    /// <summary>
    /// Records a packet number skipped on purpose (RFC 9000 section 21.4, against optimistic acknowledgment): an
    /// ACK frame that covers it makes <see cref="AcknowledgesUnsentPacket"/> return true.
    /// </summary>
    public void OnPacketNumberSkipped(PacketNumberSpace space, ulong packetNumber) =>
        _spaces[(int)space].AddSkipped(packetNumber);

    /// <summary>
    /// True when an ACK frame acknowledges a packet number this endpoint never sent in <paramref name="space"/>
    /// (larger than the largest sent, or skipped). RFC 9000 section 13.1: the connection SHOULD close with
    /// PROTOCOL_VIOLATION. <see cref="OnAckReceived{TCallbacks}"/> itself just ignores such packet numbers.
    /// </summary>
    /// <param name="space">The space of the ACK frame.</param>
    /// <param name="ranges">The frame's ranges, largest first.</param>
    public bool AcknowledgesUnsentPacket(PacketNumberSpace space, ReadOnlySpan<PacketNumberRange> ranges)
    {
        SentPacketTracker tracker = _spaces[(int)space];
        foreach (PacketNumberRange range in ranges)
        {
            if (!tracker.HasSent || range.Largest > tracker.LargestSent) return true;
            if (tracker.SkippedCount == 0) continue;
            for (int i = tracker.IndexOfFirstAtOrAbove(range.Smallest); i < tracker.Count; i++)
            {
                ref SentPacketTracker.Slot slot = ref tracker.SlotAt(i);
                if (slot.Packet.PacketNumber > range.Largest) break;
                if (slot.State == SentPacketTracker.SlotState.Skipped) return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Processes an ACK frame (RFC 9002 Appendix A.7): reports each newly acknowledged packet, takes an RTT sample,
    /// reacts to a grown ECN-CE count, declares packets lost (Appendix A.10), updates the congestion controller and
    /// re-arms the loss detection timer. Packet numbers never sent are ignored.
    /// </summary>
    /// <param name="space">The packet number space of the packet that carried the frame.</param>
    /// <param name="ranges">The acknowledged ranges, largest first, disjoint (as decoded from the frame).</param>
    /// <param name="ackDelay">The decoded ACK Delay (see <see cref="AckDelay.Decode"/>).</param>
    /// <param name="ecnCounts">The frame's ECN counts when its type was 0x03.</param>
    /// <param name="now">When the frame was received.</param>
    /// <param name="callbacks">Receives each acknowledged and lost packet.</param>
    public AckOutcome OnAckReceived<TCallbacks>(
        PacketNumberSpace space,
        ReadOnlySpan<PacketNumberRange> ranges,
        TimeSpan ackDelay,
        EcnCounts? ecnCounts,
        Instant now,
        ref TCallbacks callbacks)
        where TCallbacks : ILossDetectionCallbacks, allows ref struct
    {
        if (ranges.IsEmpty) throw new ArgumentException("An ACK frame has at least one range.", nameof(ranges));

        SentPacketTracker tracker = _spaces[(int)space];
        if (space == PacketNumberSpace.Handshake) HasReceivedHandshakeAck = true;
        if (!tracker.HasSent) return default;

        // The Largest Acknowledged that refers to a packet actually sent.
        ulong largestAcked = 0;
        bool anySent = false;
        foreach (PacketNumberRange range in ranges)
        {
            if (range.Smallest > tracker.LargestSent) continue;
            ulong candidate = Math.Min(range.Largest, tracker.LargestSent);
            if (!anySent || candidate > largestAcked) largestAcked = candidate;
            anySent = true;
        }
        if (!anySent) return default;
        bool largestAckedIncreased = !tracker.HasLargestAcked || largestAcked > tracker.LargestAcked;
        if (largestAckedIncreased)
        {
            tracker.LargestAcked = largestAcked;
            tracker.HasLargestAcked = true;
        }

        // Pass 1: mark the newly acknowledged packets. Callbacks and the controller hear about them only after
        // loss detection, so that a congestion event found by this frame precedes window growth (Appendix A.7).
        int newlyAcked = 0;
        int newlyAckedInFlight = 0;
        int newlyAckedEct0 = 0;
        long newlyAckedBytes = 0;
        bool includesAckEliciting = false;
        bool hasLargestNewlyAcked = false;
        ulong largestNewlyAcked = 0;
        Instant largestNewlyAckedTimeSent = default;
        for (int r = ranges.Length - 1; r >= 0; r--)
        {
            PacketNumberRange range = ranges[r];
            for (int i = tracker.IndexOfFirstAtOrAbove(range.Smallest); i < tracker.Count; i++)
            {
                ref SentPacketTracker.Slot slot = ref tracker.SlotAt(i);
                if (slot.Packet.PacketNumber > range.Largest) break;
                if (slot.State != SentPacketTracker.SlotState.Outstanding) continue;

                slot.State = SentPacketTracker.SlotState.AckPending;
                newlyAcked++;
                includesAckEliciting |= slot.Packet.IsAckEliciting;
                if (slot.Packet.Ecn == EcnCodepoint.Ect0) newlyAckedEct0++;
                if (slot.Packet.IsInFlight)
                {
                    newlyAckedInFlight++;
                    newlyAckedBytes += slot.Packet.Bytes;
                }
                if (!hasLargestNewlyAcked || slot.Packet.PacketNumber > largestNewlyAcked)
                {
                    hasLargestNewlyAcked = true;
                    largestNewlyAcked = slot.Packet.PacketNumber;
                    largestNewlyAckedTimeSent = slot.Packet.TimeSent;
                }
            }
        }
        if (newlyAcked == 0) return default;

        if (largestNewlyAcked == tracker.LargestAcked) tracker.LargestAckedTimeSent = largestNewlyAckedTimeSent;

        // RTT sample: only when the frame's largest acknowledged is newly acknowledged and something ack-eliciting
        // was (RFC 9002 section 5.1). Initial ACKs are never delayed on purpose, so their ACK Delay is ignored.
        bool rttSampled = false;
        if (largestNewlyAcked == largestAcked && includesAckEliciting)
        {
            TimeSpan delay = space == PacketNumberSpace.Initial ? TimeSpan.Zero : ackDelay;
            Rtt.Update(now, now - largestNewlyAckedTimeSent, delay, IsHandshakeConfirmed, _peerMaxAckDelay);
            rttSampled = true;
        }

        if (Ecn.OnAckReceived(space, newlyAckedEct0, ecnCounts, largestAckedIncreased) > 0)
        {
            // RFC 9002 Appendix B.7: a grown ECN-CE count is a congestion event dated by the largest acknowledged.
            _congestionEvents++;
            _ecnCongestionEvents++;
            CongestionController.OnCongestionEvent(new CongestionEvent(
                now, tracker.LargestAckedTimeSent, 0, 0, IsEcn: true, IsPersistentCongestion: false, _bytesInFlight));
        }

        long priorBytesInFlight = _bytesInFlight;
        int lost = DetectAndRemoveLostPackets(tracker, now, ref callbacks);

        // Pass 2: settle the acknowledged packets.
        for (int r = ranges.Length - 1; r >= 0; r--)
        {
            PacketNumberRange range = ranges[r];
            for (int i = tracker.IndexOfFirstAtOrAbove(range.Smallest); i < tracker.Count; i++)
            {
                ref SentPacketTracker.Slot slot = ref tracker.SlotAt(i);
                if (slot.Packet.PacketNumber > range.Largest) break;
                if (slot.State != SentPacketTracker.SlotState.AckPending) continue;

                slot.State = SentPacketTracker.SlotState.Acked;
                if (slot.Packet.IsInFlight)
                {
                    RemoveFromFlight(tracker, in slot.Packet);
                    _rate.OnPacketAcked(now, in slot.Packet);
                    CongestionController.OnPacketAcked(new AckedPacket(
                        now, slot.Packet.TimeSent, slot.Packet.Bytes, IsApplicationLimited, Rtt));
                }
                callbacks.OnPacketAcked(space, in slot.Packet);
            }
        }
        tracker.Compact();
        _packetsAcked += newlyAcked;

        CongestionController.OnAckProcessed(new AckEvent(
            now,
            space,
            newlyAckedBytes,
            newlyAckedInFlight,
            largestNewlyAcked,
            largestNewlyAckedTimeSent,
            priorBytesInFlight,
            _bytesInFlight,
            IsApplicationLimited,
            rttSampled,
            Rtt,
            _rate.TakeSample(Rtt.MinRtt)));

        // A client unsure whether the server validated its address keeps its backoff (RFC 9002 section 6.2.1).
        if (PeerCompletedAddressValidation) _ptoCount = 0;
        SetLossDetectionTimer(now);
        return new AckOutcome(newlyAcked, lost, rttSampled);
    }

    /// <summary>
    /// Runs the loss detection timer (RFC 9002 Appendix A.9) once <paramref name="now"/> reached
    /// <see cref="LossDetectionDeadline"/>; earlier calls do nothing. Either declares packets lost by the time
    /// threshold, or asks for probe packets and doubles the PTO (pto_count + 1).
    /// </summary>
    public LossDetectionTimeout OnLossDetectionTimeout<TCallbacks>(Instant now, ref TCallbacks callbacks)
        where TCallbacks : ILossDetectionCallbacks, allows ref struct
    {
        if (_timer.IsNever || now < _timer) return LossDetectionTimeout.None;

        SentPacketTracker? lossSpace = EarliestLossTime();
        if (lossSpace is not null)
        {
            int lost = DetectAndRemoveLostPackets(lossSpace, now, ref callbacks);
            lossSpace.Compact();
            SetLossDetectionTimer(now);
            return new LossDetectionTimeout(LossDetectionAction.PacketsLost, lossSpace.Space, lost, false);
        }

        if (IsServer && IsAtAntiAmplificationLimit)
        {
            _timer = Instant.Never;
            return LossDetectionTimeout.None;
        }

        (Instant timeout, PacketNumberSpace space, bool antiDeadlock) = GetPtoTimeAndSpace(now);
        if (timeout.IsNever)
        {
            _timer = Instant.Never;
            return LossDetectionTimeout.None;
        }

        // A PTO declares nothing lost; it asks for ack-eliciting probes (new data preferred, else retransmission,
        // else PING). The client's anti-deadlock probe is a single packet.
        int probes = antiDeadlock ? 1 : ProbePacketsPerTimeout;
        _pendingProbes[(int)space] = Math.Max(_pendingProbes[(int)space], probes);
        _ptoCount++;
        _probeTimeouts++;
        SetLossDetectionTimer(now);
        return new LossDetectionTimeout(LossDetectionAction.SendProbes, space, probes, antiDeadlock);
    }

    /// <summary>
    /// Forgets every sent packet of <paramref name="space"/> (RFC 9002 section 6.4 and Appendix A.11): their bytes
    /// leave bytes in flight, each is reported to <see cref="ILossDetectionCallbacks.OnPacketDiscarded"/>, the
    /// space's timers are cleared, pto_count is reset and the timer re-armed. Use it when Initial or Handshake keys
    /// are discarded, when 0-RTT is rejected, and for Retry. Packet numbers keep increasing afterwards.
    /// </summary>
    public void DiscardSpace<TCallbacks>(PacketNumberSpace space, Instant now, ref TCallbacks callbacks)
        where TCallbacks : ILossDetectionCallbacks, allows ref struct
    {
        SentPacketTracker tracker = _spaces[(int)space];
        for (int i = 0; i < tracker.Count; i++)
        {
            ref SentPacketTracker.Slot slot = ref tracker.SlotAt(i);
            if (slot.State != SentPacketTracker.SlotState.Outstanding) continue;
            if (slot.Packet.IsInFlight) _bytesInFlight -= slot.Packet.Bytes;
            callbacks.OnPacketDiscarded(space, in slot.Packet);
        }
        tracker.Clear();
        _pendingProbes[(int)space] = 0;
        _ptoCount = 0;
        SetLossDetectionTimer(now);
    }

    /// <summary><see cref="DiscardSpace{TCallbacks}"/> for a caller that needs no per-packet report.</summary>
    public void DiscardSpace(PacketNumberSpace space, Instant now)
    {
        var none = default(NoCallbacks);
        DiscardSpace(space, now, ref none);
    }

    /// <summary>The handshake is confirmed: Application Data gets a PTO and the ACK Delay is capped from now on.</summary>
    public void OnHandshakeConfirmed(Instant now)
    {
        IsHandshakeConfirmed = true;
        SetLossDetectionTimer(now);
    }

    /// <summary>The client installed Handshake keys: its anti-deadlock probe becomes a Handshake packet.</summary>
    public void OnHandshakeKeysAvailable() => HasHandshakeKeys = true;

    /// <summary>
    /// A server reports whether the anti-amplification limit blocks it (RFC 9002 section 6.2.2.1): while blocked
    /// the PTO is not armed. After a datagram from the client unblocks it, call with false; if the re-armed
    /// <see cref="LossDetectionDeadline"/> is already past, run <see cref="OnLossDetectionTimeout{TCallbacks}"/> at once.
    /// </summary>
    public void SetAntiAmplificationLimited(bool isLimited, Instant now)
    {
        IsAtAntiAmplificationLimit = isLimited;
        SetLossDetectionTimer(now);
    }

    public RecoveryStats GetStats() => new()
    {
        LatestRtt = Rtt.LatestRtt,
        MinRtt = Rtt.MinRtt,
        SmoothedRtt = Rtt.SmoothedRtt,
        RttVariation = Rtt.RttVar,
        CongestionWindow = CongestionController.CongestionWindow,
        SlowStartThreshold = CongestionController.SlowStartThreshold,
        BytesInFlight = _bytesInFlight,
        PacketsSent = _packetsSent,
        PacketsAcked = _packetsAcked,
        PacketsLost = _packetsLost,
        BytesLost = _bytesLost,
        PtoCount = _ptoCount,
        ProbeTimeouts = _probeTimeouts,
        CongestionEvents = _congestionEvents,
        EcnCongestionEvents = _ecnCongestionEvents,
        PersistentCongestionEvents = _persistentCongestionEvents,
        PathMtuProbesLost = _probesLost,
        EcnState = Ecn.State,
    };

    /// <summary>
    /// RFC 9002 Appendix A.10: declares lost every outstanding packet at or below the largest acknowledged that is
    /// kPacketThreshold packets older, or sent longer than the loss delay ago; sets loss_time for the rest. Then
    /// reports a congestion event, with persistent congestion when ack-eliciting losses sent after the first RTT
    /// sample span more than the persistent congestion duration with nothing acknowledged in between.
    /// </summary>
    private int DetectAndRemoveLostPackets<TCallbacks>(SentPacketTracker tracker, Instant now, ref TCallbacks callbacks)
        where TCallbacks : ILossDetectionCallbacks, allows ref struct
    {
        tracker.LossTime = Instant.Never;
        if (!tracker.HasLargestAcked) return 0;

        ulong largestAcked = tracker.LargestAcked;
        TimeSpan lossDelay = Rtt.LossDelay;
        Instant lostSendTime = now - lossDelay;
        TimeSpan persistentDuration = Rtt.PersistentCongestionDuration(_peerMaxAckDelay);
        Instant firstRttSample = Rtt.FirstSampleTime;

        int lost = 0;
        int lostInFlight = 0;
        long lostBytes = 0;
        Instant newestLostTimeSent = default;
        bool inRun = false;
        Instant runStart = default;
        bool persistentCongestion = false;

        for (int i = 0; i < tracker.Count; i++)
        {
            ref SentPacketTracker.Slot slot = ref tracker.SlotAt(i);
            ulong packetNumber = slot.Packet.PacketNumber;
            if (packetNumber > largestAcked) break;

            switch (slot.State)
            {
                case SentPacketTracker.SlotState.Outstanding:
                    if (slot.Packet.TimeSent > lostSendTime && largestAcked - packetNumber < PacketThreshold)
                    {
                        Instant lossTime = slot.Packet.TimeSent + lossDelay;
                        if (lossTime < tracker.LossTime) tracker.LossTime = lossTime;
                        continue;
                    }

                    slot.State = SentPacketTracker.SlotState.Lost;
                    lost++;
                    if (slot.Packet.Ecn == EcnCodepoint.Ect0) Ecn.OnMarkedPacketLost();
                    if (slot.Packet.IsPathMtuProbe)
                    {
                        // RFC 9000 section 14.4: a lost probe only says the path is narrower; not congestion.
                        if (slot.Packet.IsInFlight) RemoveFromFlight(tracker, in slot.Packet);
                        _probesLost++;
                        callbacks.OnPacketLost(tracker.Space, in slot.Packet);
                        break;
                    }

                    if (slot.Packet.IsInFlight)
                    {
                        RemoveFromFlight(tracker, in slot.Packet);
                        lostInFlight++;
                        lostBytes += slot.Packet.Bytes;
                        if (slot.Packet.TimeSent > newestLostTimeSent || lostInFlight == 1) newestLostTimeSent = slot.Packet.TimeSent;
                    }
                    if (slot.Packet.IsAckEliciting && !firstRttSample.IsNever && slot.Packet.TimeSent > firstRttSample)
                    {
                        if (!inRun)
                        {
                            inRun = true;
                            runStart = slot.Packet.TimeSent;
                        }
                        else if (slot.Packet.TimeSent - runStart > persistentDuration)
                        {
                            persistentCongestion = true;
                        }
                    }
                    callbacks.OnPacketLost(tracker.Space, in slot.Packet);
                    break;

                case SentPacketTracker.SlotState.Skipped:
                    // Acknowledgments of it were checked before processing; nothing more to watch for.
                    slot.State = SentPacketTracker.SlotState.Removed;
                    tracker.SkippedCount--;
                    break;

                case SentPacketTracker.SlotState.AckPending:
                case SentPacketTracker.SlotState.Acked:
                    // An acknowledged packet between two losses means the path was not persistently congested.
                    inRun = false;
                    break;
            }
        }

        _packetsLost += lost;
        _bytesLost += lostBytes;
        if (lostInFlight > 0)
        {
            _congestionEvents++;
            if (persistentCongestion)
            {
                _persistentCongestionEvents++;
                Rtt.OnPersistentCongestion();
            }
            CongestionController.OnCongestionEvent(new CongestionEvent(
                now, newestLostTimeSent, lostBytes, lostInFlight, IsEcn: false, persistentCongestion, _bytesInFlight));
        }
        return lost;
    }

    private void RemoveFromFlight(SentPacketTracker tracker, in SentPacket packet)
    {
        _bytesInFlight -= packet.Bytes;
        tracker.BytesInFlight -= packet.Bytes;
        if (packet.IsAckEliciting) tracker.AckElicitingInFlight--;
    }

    /// <summary>GetLossTimeAndSpace: the space with the earliest loss_time, or null when none is set.</summary>
    private SentPacketTracker? EarliestLossTime()
    {
        SentPacketTracker? earliest = null;
        foreach (SentPacketTracker tracker in _spaces)
        {
            if (tracker.LossTime.IsNever) continue;
            if (earliest is null || tracker.LossTime < earliest.LossTime) earliest = tracker;
        }
        return earliest;
    }

    /// <summary>
    /// GetPtoTimeAndSpace (RFC 9002 Appendix A.8): the earliest PTO over the spaces with ack-eliciting packets in
    /// flight, Application Data only once the handshake is confirmed. A client whose peer may not have validated its
    /// address and that has nothing to probe arms the anti-deadlock PTO from <paramref name="now"/> instead.
    /// </summary>
    private (Instant Timeout, PacketNumberSpace Space, bool AntiDeadlock) GetPtoTimeAndSpace(Instant now)
    {
        TimeSpan duration = Backoff(Rtt.ProbeTimeoutBase, _ptoCount);
        Instant timeout = Instant.Never;
        PacketNumberSpace timeoutSpace = PacketNumberSpace.Initial;
        foreach (SentPacketTracker tracker in _spaces)
        {
            if (tracker.AckElicitingInFlight == 0) continue;
            TimeSpan spaceDuration = duration;
            if (tracker.Space == PacketNumberSpace.ApplicationData)
            {
                // No Application Data PTO before confirmation: the peer may lack the keys to read the probes.
                if (!IsHandshakeConfirmed) break;
                spaceDuration = Add(spaceDuration, Backoff(_peerMaxAckDelay, _ptoCount));
            }
            Instant candidate = tracker.TimeOfLastAckEliciting + spaceDuration;
            if (candidate < timeout)
            {
                timeout = candidate;
                timeoutSpace = tracker.Space;
            }
        }

        if (timeout.IsNever && !PeerCompletedAddressValidation)
        {
            PacketNumberSpace probeSpace = HasHandshakeKeys ? PacketNumberSpace.Handshake : PacketNumberSpace.Initial;
            return (now + duration, probeSpace, true);
        }
        return (timeout, timeoutSpace, false);
    }

    /// <summary>SetLossDetectionTimer (RFC 9002 Appendix A.8).</summary>
    private void SetLossDetectionTimer(Instant now)
    {
        SentPacketTracker? lossSpace = EarliestLossTime();
        if (lossSpace is not null)
        {
            // Time-threshold loss detection takes precedence over the PTO.
            _timer = lossSpace.LossTime;
            return;
        }

        if (IsServer && IsAtAntiAmplificationLimit)
        {
            // Probes would count against the amplification limit: wait for the client.
            _timer = Instant.Never;
            return;
        }

        _timer = GetPtoTimeAndSpace(now).Timeout;
    }

    /// <summary>duration * 2^ptoCount, saturating at <see cref="TimeSpan.MaxValue"/>.</summary>
    private static TimeSpan Backoff(TimeSpan duration, int ptoCount)
    {
        if (duration <= TimeSpan.Zero) return TimeSpan.Zero;
        if (ptoCount >= 62 || duration.Ticks > long.MaxValue >> ptoCount) return TimeSpan.MaxValue;
        return TimeSpan.FromTicks(duration.Ticks << ptoCount);
    }

    private static TimeSpan Add(TimeSpan a, TimeSpan b) =>
        a.Ticks > long.MaxValue - b.Ticks ? TimeSpan.MaxValue : a + b;

    private struct NoCallbacks : ILossDetectionCallbacks
    {
        public readonly void OnPacketAcked(PacketNumberSpace space, in SentPacket packet)
        {
        }

        public readonly void OnPacketLost(PacketNumberSpace space, in SentPacket packet)
        {
        }

        public readonly void OnPacketDiscarded(PacketNumberSpace space, in SentPacket packet)
        {
        }
    }
}
