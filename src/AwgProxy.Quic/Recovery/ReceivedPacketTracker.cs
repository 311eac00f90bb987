namespace AwgProxy.Quic.Recovery;

/// <summary>
/// The receiving side of one packet number space (RFC 9000 section 13.2): which packet numbers arrived, when an
/// ACK frame is due, what it carries, and the ECN counts to report.
/// </summary>
/// <remarks>
/// <para>
/// Received packet numbers are kept as at most <see cref="MaxRanges"/> disjoint ranges in a fixed ring (no
/// allocation after construction). When the ring is full the oldest range is dropped and everything up to it is
/// from then on reported as a duplicate (RFC 9000 section 13.2.3: a receiver that forgets a range must not accept
/// packets in it again). The same happens below the Largest Acknowledged of an ACK frame once the packet that
/// carried it is acknowledged (section 13.2.4).
/// </para>
/// <para>
/// ACK timing: in the Initial and Handshake spaces every ack-eliciting packet is acknowledged immediately. In the
/// Application Data space an ACK is due immediately after <see cref="AckElicitingThreshold"/> ack-eliciting
/// packets, when an ack-eliciting packet arrives out of order or leaves a gap below it, or when it carries ECN-CE;
/// otherwise <see cref="MaxAckDelay"/> after the first unacknowledged ack-eliciting packet.
/// </para>
/// <para>
/// ACK decimation for bulk transfer (the local policy of the ACK frequency draft and of Chromium's QUIC): once
/// <see cref="BulkAfterPackets"/> ack-eliciting packets were received, the threshold becomes
/// <see cref="BulkAckElicitingThreshold"/> and the delay <see cref="BulkAckDelay"/> (the connection keeps it at a
/// quarter of the RTT, never more than max_ack_delay). Loss and reordering are still reported at once, so the
/// sender's loss detection is not slowed down.
/// </para>
/// </remarks>
public sealed class ReceivedPacketTracker
{
    /// <summary>How many ACK ranges are remembered by default.</summary>
    public const int DefaultMaxRanges = 64;

    /// <summary>RFC 9000 section 13.2.2: acknowledge at least every second ack-eliciting packet.</summary>
    public const int DefaultAckElicitingThreshold = 2;

    /// <summary>The max_ack_delay transport parameter's default (RFC 9000 section 18.2).</summary>
    public static readonly TimeSpan DefaultMaxAckDelay = TimeSpan.FromMilliseconds(25);

    /// <summary>How many sent ACK frames are remembered for section 13.2.4 pruning.</summary>
    private const int SentAckHistoryLength = 32;

    // Ascending, disjoint and non-adjacent ranges in a ring: logical index i lives at (_rangeStart + i) % length.
    private readonly PacketNumberRange[] _ranges;
    private int _rangeStart;
    private int _rangeCount;

    // Sent ACK frames, oldest first: the packet that carried each and its Largest Acknowledged.
    private readonly SentAck[] _sentAcks = new SentAck[SentAckHistoryLength];
    private int _sentAckStart;
    private int _sentAckCount;

    // Every packet number below this is treated as already received (its range was forgotten).
    private ulong _lowestAcceptable;

    private ulong _largestReceived;
    private Instant _largestReceivedTime;
    private bool _hasLargestAckEliciting;
    private ulong _largestAckEliciting;
    private bool _newPacketsSinceAck;
    private int _ackElicitingThreshold;
    private TimeSpan _maxAckDelay;
    private TimeSpan _bulkAckDelay;
    private int _bulkAckElicitingThreshold;
    private long _ackElicitingReceived;
    private EcnCounts _ecnCounts;

    public ReceivedPacketTracker(
        PacketNumberSpace space,
        TimeSpan? maxAckDelay = null,
        int ackElicitingThreshold = DefaultAckElicitingThreshold,
        int maxRanges = DefaultMaxRanges)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRanges, 1);
        Space = space;
        MaxAckDelay = maxAckDelay ?? DefaultMaxAckDelay;
        AckElicitingThreshold = ackElicitingThreshold;
        _ranges = new PacketNumberRange[maxRanges];
    }

    public PacketNumberSpace Space { get; }

    /// <summary>The maximum number of ACK ranges remembered.</summary>
    public int MaxRanges => _ranges.Length;

    /// <summary>
    /// Our own max_ack_delay: how long an ACK for an ack-eliciting Application Data packet may be delayed. Ignored in
    /// the Initial and Handshake spaces, which acknowledge immediately.
    /// </summary>
    public TimeSpan MaxAckDelay
    {
        get => _maxAckDelay;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _maxAckDelay = value;
        }
    }

    /// <summary>
    /// After how many ack-eliciting Application Data packets an ACK is sent without waiting (2 by default; larger
    /// values suit bulk transfer).
    /// </summary>
    public int AckElicitingThreshold
    {
        get => _ackElicitingThreshold;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _ackElicitingThreshold = value;
        }
    }

    /// <summary>
    /// The ACK threshold once <see cref="BulkAfterPackets"/> ack-eliciting packets arrived; 0 (the default) keeps
    /// <see cref="AckElicitingThreshold"/> for good.
    /// </summary>
    public int BulkAckElicitingThreshold
    {
        get => _bulkAckElicitingThreshold;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _bulkAckElicitingThreshold = value;
        }
    }

    /// <summary>Ack-eliciting packets received before ACK decimation starts.</summary>
    public int BulkAfterPackets { get; set; } = 100;

    /// <summary>The ACK delay while decimating (capped at <see cref="MaxAckDelay"/>); max_ack_delay until set.</summary>
    public TimeSpan BulkAckDelay
    {
        get => _bulkAckDelay == TimeSpan.Zero || _bulkAckDelay > _maxAckDelay ? _maxAckDelay : _bulkAckDelay;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _bulkAckDelay = value;
        }
    }

    /// <summary>True while ACK decimation applies.</summary>
    public bool IsDecimating => _bulkAckElicitingThreshold > 0 && _ackElicitingReceived >= BulkAfterPackets;

    /// <summary>True once any packet was received in this space.</summary>
    public bool HasReceived { get; private set; }

    /// <summary>
    /// The largest packet number received, kept even when its range is forgotten: packet number decoding needs it
    /// (RFC 9000 section 17.1). Meaningless unless <see cref="HasReceived"/>.
    /// </summary>
    public ulong LargestReceived => _largestReceived;

    /// <summary>When the largest packet number was received (the ACK Delay is measured from here).</summary>
    public Instant LargestReceivedTime => _largestReceivedTime;

    /// <summary>The number of ACK ranges currently remembered.</summary>
    public int RangeCount => _rangeCount;

    /// <summary>The ECN counts to report in this space's ACK frames.</summary>
    public EcnCounts EcnCounts => _ecnCounts;

    /// <summary>Ack-eliciting packets received since the last ACK frame was sent.</summary>
    public int AckElicitingSinceLastAck { get; private set; }

    /// <summary>
    /// True when packets arrived since the last ACK frame: any packet being sent in this space should carry an ACK
    /// frame (RFC 9000 section 13.2). This alone never justifies sending an ACK-only packet.
    /// </summary>
    public bool HasPendingAck => _newPacketsSinceAck && _rangeCount > 0;

    /// <summary>
    /// When an ACK frame must be sent (a time in the past or <c>now</c> means immediately), or
    /// <see cref="Instant.Never"/> when no ack-eliciting packet awaits acknowledgment. Put it in the connection's
    /// timer table.
    /// </summary>
    public Instant AckDeadline { get; private set; } = Instant.Never;

    /// <summary>True when an ACK frame is due at <paramref name="now"/> (send one, in an ACK-only packet if need be).</summary>
    public bool ShouldSendAck(Instant now) => AckDeadline <= now;

    /// <summary>
    /// True when <paramref name="packetNumber"/> was already received, or lies below the ranges that were forgotten;
    /// the caller drops such a packet without processing its frames.
    /// </summary>
    public bool IsDuplicate(ulong packetNumber)
    {
        if (packetNumber < _lowestAcceptable) return true;
        if (_rangeCount == 0 || packetNumber > RangeAt(_rangeCount - 1).Largest) return false;
        int index = FirstRangeEndingAtOrAbove(packetNumber);
        return RangeAt(index).Smallest <= packetNumber;
    }

    /// <summary>
    /// Records a packet that was decrypted and whose frames were processed. Returns false (and records nothing) for
    /// a duplicate, or for a packet older than every range when the range table is full.
    /// </summary>
    /// <param name="packetNumber">The full (decoded) packet number.</param>
    /// <param name="now">When the packet was received.</param>
    /// <param name="isAckEliciting">Whether the packet held a frame other than ACK, PADDING or CONNECTION_CLOSE.</param>
    /// <param name="ecn">The ECN codepoint of the IP header that carried the packet.</param>
    public bool OnPacketReceived(ulong packetNumber, Instant now, bool isAckEliciting, EcnCodepoint ecn = EcnCodepoint.NotEct)
    {
        if (IsDuplicate(packetNumber) || !TryInsert(packetNumber)) return false;

        if (!HasReceived || packetNumber > _largestReceived)
        {
            _largestReceived = packetNumber;
            _largestReceivedTime = now;
        }
        HasReceived = true;
        _newPacketsSinceAck = true;

        // RFC 9000 section 13.4.1: count once per processed QUIC packet, never for duplicates.
        _ecnCounts = ecn switch
        {
            EcnCodepoint.Ect0 => _ecnCounts with { Ect0 = _ecnCounts.Ect0 + 1 },
            EcnCodepoint.Ect1 => _ecnCounts with { Ect1 = _ecnCounts.Ect1 + 1 },
            EcnCodepoint.Ce => _ecnCounts with { Ce = _ecnCounts.Ce + 1 },
            _ => _ecnCounts,
        };

        if (!isAckEliciting) return true;

        AckElicitingSinceLastAck++;
        _ackElicitingReceived++;
        bool decimating = IsDecimating;
        bool immediate = Space != PacketNumberSpace.ApplicationData
            || AckElicitingSinceLastAck >= (decimating ? _bulkAckElicitingThreshold : _ackElicitingThreshold)
            || ecn == EcnCodepoint.Ce
            || IsOutOfOrderOrAfterGap(packetNumber);

        if (!_hasLargestAckEliciting || packetNumber > _largestAckEliciting)
        {
            _largestAckEliciting = packetNumber;
            _hasLargestAckEliciting = true;
        }

        // The deadline is set by the first unacknowledged ack-eliciting packet and never pushed back by later ones.
        Instant deadline = immediate ? now : now + (decimating ? BulkAckDelay : _maxAckDelay);
        if (deadline < AckDeadline) AckDeadline = deadline;
        return true;
    }

    /// <summary>
    /// Writes the ranges for an ACK frame, largest first (the order of the frame: Largest Acknowledged, then each
    /// ACK Range below it). When <paramref name="destination"/> is too short the oldest ranges are left out
    /// (RFC 9000 section 13.2.3). Returns the number of ranges written (0 when nothing is remembered).
    /// </summary>
    public int GetAckRanges(Span<PacketNumberRange> destination)
    {
        int count = Math.Min(destination.Length, _rangeCount);
        for (int i = 0; i < count; i++) destination[i] = RangeAt(_rangeCount - 1 - i);
        return count;
    }

    /// <summary>
    /// The ACK Delay to report at <paramref name="now"/>: time since the largest packet number was received
    /// (RFC 9000 section 13.2.5). Encode it with <see cref="AckDelay.Encode"/> and our ack_delay_exponent.
    /// </summary>
    public TimeSpan GetAckDelay(Instant now)
    {
        if (!HasReceived) return TimeSpan.Zero;
        TimeSpan delay = now - _largestReceivedTime;
        return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
    }

    /// <summary>
    /// Call when a packet carrying an ACK frame of this space was sent: clears the pending-ACK state and remembers
    /// the frame's Largest Acknowledged so that the ranges below it can be dropped once that packet is
    /// acknowledged (see <see cref="OnSentPacketAcknowledged"/>).
    /// </summary>
    /// <param name="packetNumber">The packet number of the packet that carried the ACK frame.</param>
    /// <param name="largestAcknowledged">The Largest Acknowledged field written in the frame.</param>
    public void OnAckSent(ulong packetNumber, ulong largestAcknowledged)
    {
        AckElicitingSinceLastAck = 0;
        _newPacketsSinceAck = false;
        AckDeadline = Instant.Never;

        if (_sentAckCount > 0)
        {
            ref SentAck newest = ref SentAckAt(_sentAckCount - 1);
            if (packetNumber <= newest.PacketNumber) return;
            if (largestAcknowledged < newest.LargestAcknowledged) largestAcknowledged = newest.LargestAcknowledged;
        }
        if (_sentAckCount == _sentAcks.Length)
        {
            _sentAckStart = (_sentAckStart + 1) % _sentAcks.Length;
            _sentAckCount--;
        }
        SentAckAt(_sentAckCount) = new SentAck(packetNumber, largestAcknowledged);
        _sentAckCount++;
    }

    /// <summary>
    /// Call for each of our packets in this space that the peer newly acknowledged. If it carried an ACK frame, the
    /// peer has seen that frame, so packet numbers up to its Largest Acknowledged stop being acknowledged
    /// (RFC 9000 section 13.2.4).
    /// </summary>
    public void OnSentPacketAcknowledged(ulong packetNumber)
    {
        for (int i = 0; i < _sentAckCount; i++)
        {
            SentAck sent = SentAckAt(i);
            if (sent.PacketNumber > packetNumber) return;
            if (sent.PacketNumber == packetNumber)
            {
                // Older entries carried smaller Largest Acknowledged values: they are no longer useful.
                _sentAckStart = (_sentAckStart + i + 1) % _sentAcks.Length;
                _sentAckCount -= i + 1;
                IgnoreBelow(sent.LargestAcknowledged + 1);
                return;
            }
        }
    }

    /// <summary>
    /// Stops acknowledging packet numbers below <paramref name="packetNumber"/> and from then on reports them as
    /// duplicates. <see cref="LargestReceived"/> is kept.
    /// </summary>
    public void IgnoreBelow(ulong packetNumber)
    {
        if (packetNumber <= _lowestAcceptable) return;
        _lowestAcceptable = packetNumber;
        while (_rangeCount > 0)
        {
            ref PacketNumberRange oldest = ref RangeAt(0);
            if (oldest.Largest >= packetNumber)
            {
                if (oldest.Smallest < packetNumber) oldest = oldest with { Smallest = packetNumber };
                return;
            }
            _rangeStart = (_rangeStart + 1) % _ranges.Length;
            _rangeCount--;
        }
    }

    private bool IsOutOfOrderOrAfterGap(ulong packetNumber)
    {
        if (!_hasLargestAckEliciting) return false;

        // RFC 9000 section 13.2.1: smaller than an ack-eliciting packet already received (this also covers a packet
        // that fills a gap).
        if (packetNumber < _largestAckEliciting) return true;

        // Larger than the largest ack-eliciting packet with missing packets in between. Forgotten packet numbers
        // count as received.
        PacketNumberRange containing = RangeAt(FirstRangeEndingAtOrAbove(packetNumber));
        ulong firstExpected = Math.Max(_largestAckEliciting + 1, _lowestAcceptable);
        return containing.Smallest > firstExpected;
    }

    /// <summary>Adds a packet number known not to be a duplicate. False if it is too old to be remembered.</summary>
    private bool TryInsert(ulong packetNumber)
    {
        if (_rangeCount == 0)
        {
            AppendRange(new PacketNumberRange(packetNumber, packetNumber));
            return true;
        }

        ref PacketNumberRange newest = ref RangeAt(_rangeCount - 1);
        if (packetNumber > newest.Largest)
        {
            // The common case: the next packet in order extends the newest range.
            if (packetNumber == newest.Largest + 1)
            {
                newest = newest with { Largest = packetNumber };
            }
            else
            {
                if (_rangeCount == _ranges.Length) DropOldestRange();
                AppendRange(new PacketNumberRange(packetNumber, packetNumber));
            }
            return true;
        }

        // Reordered: the first range ending at or above the packet starts above it (it is not a duplicate).
        int index = FirstRangeEndingAtOrAbove(packetNumber);
        ref PacketNumberRange above = ref RangeAt(index);
        bool joinsAbove = above.Smallest == packetNumber + 1;
        bool joinsBelow = index > 0 && RangeAt(index - 1).Largest + 1 == packetNumber;

        if (joinsAbove && joinsBelow)
        {
            // The packet fills the last hole between two ranges: merge them.
            ref PacketNumberRange below = ref RangeAt(index - 1);
            below = below with { Largest = above.Largest };
            RemoveRangeAt(index);
        }
        else if (joinsBelow)
        {
            ref PacketNumberRange below = ref RangeAt(index - 1);
            below = below with { Largest = packetNumber };
        }
        else if (joinsAbove)
        {
            above = above with { Smallest = packetNumber };
        }
        else
        {
            if (_rangeCount == _ranges.Length)
            {
                // The new range would itself be the oldest: it cannot be remembered.
                if (index == 0) return false;
                DropOldestRange();
                index--;
            }
            InsertRangeAt(index, new PacketNumberRange(packetNumber, packetNumber));
        }
        return true;
    }

    /// <summary>Binary search: the first range whose Largest is at least <paramref name="packetNumber"/>.</summary>
    private int FirstRangeEndingAtOrAbove(ulong packetNumber)
    {
        int low = 0;
        int high = _rangeCount;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (RangeAt(mid).Largest < packetNumber) low = mid + 1;
            else high = mid;
        }
        return low;
    }

    private void DropOldestRange()
    {
        ulong forgottenUpTo = RangeAt(0).Largest;
        _rangeStart = (_rangeStart + 1) % _ranges.Length;
        _rangeCount--;
        if (forgottenUpTo + 1 > _lowestAcceptable) _lowestAcceptable = forgottenUpTo + 1;
    }

    private void AppendRange(PacketNumberRange range)
    {
        RangeAt(_rangeCount) = range;
        _rangeCount++;
    }

    private void InsertRangeAt(int index, PacketNumberRange range)
    {
        for (int i = _rangeCount; i > index; i--) RangeAt(i) = RangeAt(i - 1);
        RangeAt(index) = range;
        _rangeCount++;
    }

    private void RemoveRangeAt(int index)
    {
        for (int i = index; i < _rangeCount - 1; i++) RangeAt(i) = RangeAt(i + 1);
        _rangeCount--;
    }

    private ref PacketNumberRange RangeAt(int index) => ref _ranges[(_rangeStart + index) % _ranges.Length];

    private ref SentAck SentAckAt(int index) => ref _sentAcks[(_sentAckStart + index) % _sentAcks.Length];

    private readonly record struct SentAck(ulong PacketNumber, ulong LargestAcknowledged);
}
