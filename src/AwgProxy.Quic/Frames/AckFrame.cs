using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// ACK (RFC 9000 section 19.3): acknowledges ranges of packet numbers in one packet number space.
/// <code>
/// ACK Frame {
///   Type (i) = 0x02..0x03,
///   Largest Acknowledged (i),
///   ACK Delay (i),
///   ACK Range Count (i),
///   First ACK Range (i),
///   ACK Range (..) ...,
///   [ECN Counts (..)],
/// }
///
/// ACK Range {
///   Gap (i),
///   ACK Range Length (i),
/// }
/// </code>
/// A parsed frame keeps the ACK Range fields as packet bytes (validated once, decoded lazily by the
/// enumerator); a frame built for sending keeps the caller's span of ranges. Either way enumeration
/// yields ranges from the highest down and nothing is allocated. A range that would reach below packet
/// number 0 is a FRAME_ENCODING_ERROR (section 19.3.1).
/// </summary>
public readonly ref struct AckFrame
{
    /// <summary>Parsed frames: the Gap / ACK Range Length pairs, as received.</summary>
    private readonly ReadOnlySpan<byte> _encodedRanges;

    /// <summary>Built frames: every range, highest first.</summary>
    private readonly ReadOnlySpan<PacketNumberRange> _ranges;

    /// <summary>Bytes of the ACK Range fields (either form).</summary>
    private readonly int _rangesLength;

    private readonly EcnCounts _ecnCounts;

    /// <summary>Builds an ACK for sending.</summary>
    /// <param name="ranges">
    /// The acknowledged ranges, highest first, each separated from the next by at least one missing packet
    /// number (Smallest of one &gt;= Largest of the next + 2). Use <see cref="GetRangeCountThatFits"/> to cut a
    /// long list to the room left in the packet.
    /// </param>
    /// <param name="ackDelay">The ACK Delay field, already scaled by ack_delay_exponent (see <see cref="EncodeAckDelay"/>).</param>
    /// <param name="ecnCounts">ECN counts, which make the frame type 0x03; null for type 0x02.</param>
    public AckFrame(ReadOnlySpan<PacketNumberRange> ranges, ulong ackDelay, EcnCounts? ecnCounts = null)
    {
        if (ranges.IsEmpty) throw new ArgumentException("An ACK frame needs at least one range.", nameof(ranges));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ackDelay, VarInt.MaxValue);
        PacketNumberRange first = ranges[0];
        if (first.Smallest > first.Largest || first.Largest > VarInt.MaxValue)
        {
            throw new ArgumentException("Invalid first ACK range.", nameof(ranges));
        }

        int rangesLength = 0;
        ulong previousSmallest = first.Smallest;
        for (int i = 1; i < ranges.Length; i++)
        {
            PacketNumberRange range = ranges[i];
            if (range.Smallest > range.Largest || range.Largest >= previousSmallest || previousSmallest - range.Largest < 2)
            {
                throw new ArgumentException("ACK ranges must be sorted highest first and separated by a gap.", nameof(ranges));
            }

            rangesLength += VarInt.GetLength(previousSmallest - range.Largest - 2) + VarInt.GetLength(range.Largest - range.Smallest);
            previousSmallest = range.Smallest;
        }

        _ranges = ranges;
        _rangesLength = rangesLength;
        LargestAcknowledged = first.Largest;
        AckDelay = ackDelay;
        AckRangeCount = ranges.Length - 1;
        FirstAckRange = first.Largest - first.Smallest;
        SmallestAcknowledged = previousSmallest;
        HasEcnCounts = ecnCounts.HasValue;
        _ecnCounts = ecnCounts.GetValueOrDefault();
    }

    private AckFrame(
        ulong largestAcknowledged, ulong ackDelay, int ackRangeCount, ulong firstAckRange, ReadOnlySpan<byte> encodedRanges,
        ulong smallestAcknowledged, bool hasEcnCounts, EcnCounts ecnCounts)
    {
        _encodedRanges = encodedRanges;
        _rangesLength = encodedRanges.Length;
        LargestAcknowledged = largestAcknowledged;
        AckDelay = ackDelay;
        AckRangeCount = ackRangeCount;
        FirstAckRange = firstAckRange;
        SmallestAcknowledged = smallestAcknowledged;
        HasEcnCounts = hasEcnCounts;
        _ecnCounts = ecnCounts;
    }

    public ulong LargestAcknowledged { get; }

    /// <summary>The ACK Delay field as sent: microseconds divided by 2^ack_delay_exponent (see <see cref="DecodeAckDelay"/>).</summary>
    public ulong AckDelay { get; }

    /// <summary>The ACK Range Count field: the number of ranges after the first one.</summary>
    public int AckRangeCount { get; }

    /// <summary>How many packets below <see cref="LargestAcknowledged"/> the first range also covers.</summary>
    public ulong FirstAckRange { get; }

    /// <summary>The number of ranges the enumerator yields (<see cref="AckRangeCount"/> + 1).</summary>
    public int RangeCount => AckRangeCount + 1;

    /// <summary>The lowest packet number acknowledged by this frame.</summary>
    public ulong SmallestAcknowledged { get; }

    /// <summary>True for type 0x03.</summary>
    public bool HasEcnCounts { get; }

    /// <summary>The ECN counts, or null for type 0x02.</summary>
    public EcnCounts? EcnCounts => HasEcnCounts ? _ecnCounts : null;

    public FrameType Type => HasEcnCounts ? FrameType.AckEcn : FrameType.Ack;

    public int Length
    {
        get
        {
            int length = 1 + VarInt.GetLength(LargestAcknowledged) + VarInt.GetLength(AckDelay)
                + VarInt.GetLength((ulong)AckRangeCount) + VarInt.GetLength(FirstAckRange) + _rangesLength;
            if (HasEcnCounts)
            {
                length += VarInt.GetLength(_ecnCounts.Ect0) + VarInt.GetLength(_ecnCounts.Ect1) + VarInt.GetLength(_ecnCounts.Ce);
            }

            return length;
        }
    }

    /// <summary>Enumerates the acknowledged ranges from the highest down.</summary>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>
    /// The largest k such that an ACK of the first k of <paramref name="ranges"/> (highest first) fits in
    /// <paramref name="room"/> bytes; 0 if not even one range fits. The ranges must satisfy the constructor's rules.
    /// </summary>
    public static int GetRangeCountThatFits(ReadOnlySpan<PacketNumberRange> ranges, ulong ackDelay, EcnCounts? ecnCounts, int room)
    {
        if (ranges.IsEmpty) return 0;
        PacketNumberRange first = ranges[0];
        int fixedLength = 1 + VarInt.GetLength(first.Largest) + VarInt.GetLength(ackDelay) + VarInt.GetLength(first.Largest - first.Smallest);
        if (ecnCounts is { } ecn)
        {
            fixedLength += VarInt.GetLength(ecn.Ect0) + VarInt.GetLength(ecn.Ect1) + VarInt.GetLength(ecn.Ce);
        }

        if (fixedLength + 1 > room) return 0;
        int rangesLength = 0;
        int count = 1;
        ulong previousSmallest = first.Smallest;
        while (count < ranges.Length)
        {
            PacketNumberRange range = ranges[count];
            int next = rangesLength + VarInt.GetLength(previousSmallest - range.Largest - 2) + VarInt.GetLength(range.Largest - range.Smallest);
            if (fixedLength + VarInt.GetLength((ulong)count) + next > room) break;
            rangesLength = next;
            previousSmallest = range.Smallest;
            count++;
        }

        return count;
    }

    /// <summary>
    /// The ACK Delay field for a delay of <paramref name="delay"/>: microseconds divided by
    /// 2^<paramref name="ackDelayExponent"/> (RFC 9000 section 19.3), clamped to the varint range.
    /// </summary>
    public static ulong EncodeAckDelay(TimeSpan delay, int ackDelayExponent)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)ackDelayExponent, 20u, nameof(ackDelayExponent));
        if (delay <= TimeSpan.Zero) return 0;
        ulong microseconds = (ulong)(delay.Ticks / TimeSpan.TicksPerMicrosecond);
        return Math.Min(microseconds >> ackDelayExponent, VarInt.MaxValue);
    }

    /// <summary>The delay an ACK Delay field stands for, given the sender's ack_delay_exponent (saturating).</summary>
    public static TimeSpan DecodeAckDelay(ulong ackDelay, int ackDelayExponent)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)ackDelayExponent, 20u, nameof(ackDelayExponent));
        const ulong maxMicroseconds = (ulong)(long.MaxValue / TimeSpan.TicksPerMicrosecond);
        if (ackDelay > maxMicroseconds >> ackDelayExponent) return TimeSpan.MaxValue;
        return TimeSpan.FromTicks((long)(ackDelay << ackDelayExponent) * TimeSpan.TicksPerMicrosecond);
    }

    /// <summary>This frame's delay, given the sender's ack_delay_exponent.</summary>
    public TimeSpan GetAckDelay(int ackDelayExponent) => DecodeAckDelay(AckDelay, ackDelayExponent);

    /// <param name="type"><see cref="FrameType.Ack"/> or <see cref="FrameType.AckEcn"/>.</param>
    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out AckFrame frame)
    {
        frame = default;
        SpanReader r = reader;
        if (!r.TryReadVarInt(out ulong largest)
            || !r.TryReadVarInt(out ulong ackDelay)
            || !r.TryReadVarInt(out ulong rangeCount)
            || !r.TryReadVarInt(out ulong firstAckRange)
            || firstAckRange > largest)
        {
            return false;
        }

        // Walk every range once so that a bad one fails here and the enumerator never has to.
        // Each range takes at least two bytes, so the loop ends with the input whatever the count says.
        ulong smallest = largest - firstAckRange;
        int rangesStart = r.Position;
        for (ulong i = 0; i < rangeCount; i++)
        {
            if (!r.TryReadVarInt(out ulong gap)
                || !r.TryReadVarInt(out ulong rangeLength)
                || smallest < gap + 2)
            {
                return false;
            }

            ulong rangeLargest = smallest - gap - 2;
            if (rangeLength > rangeLargest) return false;
            smallest = rangeLargest - rangeLength;
        }

        ReadOnlySpan<byte> encodedRanges = r.Buffer[rangesStart..r.Position];
        EcnCounts ecn = default;
        bool hasEcn = type == FrameType.AckEcn;
        if (hasEcn)
        {
            if (!r.TryReadVarInt(out ulong ect0) || !r.TryReadVarInt(out ulong ect1) || !r.TryReadVarInt(out ulong ce))
            {
                return false;
            }

            ecn = new EcnCounts(ect0, ect1, ce);
        }

        frame = new AckFrame(largest, ackDelay, (int)rangeCount, firstAckRange, encodedRanges, smallest, hasEcn, ecn);
        reader = r;
        return true;
    }

    /// <summary>
    /// Writes the frame (exactly <see cref="Length"/> bytes). Static with a <c>scoped</c> frame so a frame over
    /// short-lived bytes (stackalloc) can be written into a longer-lived writer; <c>frame.Write(ref writer)</c>
    /// works too, through <see cref="FrameWriterExtensions"/>.
    /// </summary>
    public static void Write(ref SpanWriter writer, scoped AckFrame frame)
    {
        writer.WriteByte((byte)frame.Type);
        writer.WriteVarInt(frame.LargestAcknowledged);
        writer.WriteVarInt(frame.AckDelay);
        writer.WriteVarInt((ulong)frame.AckRangeCount);
        writer.WriteVarInt(frame.FirstAckRange);
        if (frame._ranges.IsEmpty)
        {
            frame._encodedRanges.CopyTo(writer.Reserve(frame._encodedRanges.Length));
        }
        else
        {
            ulong previousSmallest = frame._ranges[0].Smallest;
            for (int i = 1; i < frame._ranges.Length; i++)
            {
                PacketNumberRange range = frame._ranges[i];
                writer.WriteVarInt(previousSmallest - range.Largest - 2);
                writer.WriteVarInt(range.Largest - range.Smallest);
                previousSmallest = range.Smallest;
            }
        }

        if (frame.HasEcnCounts)
        {
            writer.WriteVarInt(frame._ecnCounts.Ect0);
            writer.WriteVarInt(frame._ecnCounts.Ect1);
            writer.WriteVarInt(frame._ecnCounts.Ce);
        }
    }

    /// <summary>Yields the ranges of an <see cref="AckFrame"/> from the highest down.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<PacketNumberRange> _ranges;
        private SpanReader _encoded;
        private int _index;
        private readonly int _count;
        private PacketNumberRange _current;

        internal Enumerator(AckFrame frame)
        {
            _ranges = frame._ranges;
            _encoded = new SpanReader(frame._encodedRanges);
            _count = frame.RangeCount;
            _index = -1;
            _current = new PacketNumberRange(frame.LargestAcknowledged - frame.FirstAckRange, frame.LargestAcknowledged);
        }

        public readonly PacketNumberRange Current => _current;

        public bool MoveNext()
        {
            if (_index + 1 >= _count) return false;
            _index++;
            if (_index == 0) return true;
            if (!_ranges.IsEmpty)
            {
                _current = _ranges[_index];
                return true;
            }

            // Validated by TryParse, so these reads cannot fail.
            _encoded.TryReadVarInt(out ulong gap);
            _encoded.TryReadVarInt(out ulong rangeLength);
            ulong largest = _current.Smallest - gap - 2;
            _current = new PacketNumberRange(largest - rangeLength, largest);
            return true;
        }
    }
}
