namespace AwgProxy.Quic.Recovery;

/// <summary>
/// The sent packets of one packet number space that are still awaiting their fate (RFC 9002 Appendix A.1), plus
/// the per-space loss recovery variables of Appendix A.3. <see cref="LossDetection"/> owns three of them and runs
/// the algorithms; this class is the storage.
/// </summary>
/// <remarks>
/// Packet numbers only grow, so packets are kept in send order in a ring of slots (a power-of-two array that
/// doubles when full and never shrinks: no allocation in steady state). Acknowledged and lost packets are marked
/// in place and the ring's head skips past them, so a lookup is a binary search and acknowledging a range is a
/// walk over adjacent slots. A packet number the sender skipped on purpose (RFC 9000 section 21.4) gets a slot
/// too, so an acknowledgment of it can be recognised.
/// </remarks>
public sealed class SentPacketTracker
{
    private const int DefaultInitialCapacity = 64;

    private Slot[] _slots;
    private int _head;
    private int _count;

    public SentPacketTracker(PacketNumberSpace space, int initialCapacity = DefaultInitialCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialCapacity, 1);
        Space = space;
        _slots = new Slot[(int)Math.Max(2, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)initialCapacity))];
        Reset();
    }

    public PacketNumberSpace Space { get; }

    /// <summary>True once a packet number (sent or skipped) was used in this space.</summary>
    public bool HasSent { get; private set; }

    /// <summary>The largest packet number sent or skipped. Meaningless unless <see cref="HasSent"/>.</summary>
    public ulong LargestSent { get; private set; }

    /// <summary>True once the peer acknowledged a packet number in this space.</summary>
    public bool HasLargestAcked { get; internal set; }

    /// <summary>largest_acked_packet: the largest packet number acknowledged so far.</summary>
    public ulong LargestAcked { get; internal set; }

    /// <summary>When the packet <see cref="LargestAcked"/> was sent.</summary>
    public Instant LargestAckedTimeSent { get; internal set; }

    /// <summary>time_of_last_ack_eliciting_packet (meaningful while <see cref="AckElicitingInFlight"/> is not 0).</summary>
    public Instant TimeOfLastAckEliciting { get; internal set; }

    /// <summary>loss_time: when the earliest unacknowledged packet crosses the time threshold, or never.</summary>
    public Instant LossTime { get; internal set; }

    /// <summary>Ack-eliciting packets neither acknowledged nor lost.</summary>
    public int AckElicitingInFlight { get; internal set; }

    /// <summary>Bytes of in-flight packets of this space neither acknowledged nor lost.</summary>
    public long BytesInFlight { get; internal set; }

    /// <summary>Skipped packet numbers still watched for acknowledgment.</summary>
    public int SkippedCount { get; internal set; }

    /// <summary>Slots held in the ring, including marked ones not yet passed by the head.</summary>
    public int TrackedCount => _count;

    /// <summary>Finds a packet that is still awaiting its fate.</summary>
    public bool TryGetOutstanding(ulong packetNumber, out SentPacket packet)
    {
        int index = IndexOfFirstAtOrAbove(packetNumber);
        if (index < _count)
        {
            ref Slot slot = ref SlotAt(index);
            if (slot.Packet.PacketNumber == packetNumber && slot.State == SlotState.Outstanding)
            {
                packet = slot.Packet;
                return true;
            }
        }
        packet = default;
        return false;
    }

    internal void Add(in SentPacket packet) => Append(packet, SlotState.Outstanding);

    internal void AddSkipped(ulong packetNumber)
    {
        Append(new SentPacket(packetNumber, Instant.Zero, 0, false, false, 0), SlotState.Skipped);
        SkippedCount++;
    }

    /// <summary>The logical index of the first slot whose packet number is at least <paramref name="packetNumber"/>.</summary>
    internal int IndexOfFirstAtOrAbove(ulong packetNumber)
    {
        int low = 0;
        int high = _count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (SlotAt(mid).Packet.PacketNumber < packetNumber) low = mid + 1;
            else high = mid;
        }
        return low;
    }

    internal int Count => _count;

    internal ref Slot SlotAt(int index) => ref _slots[(_head + index) & (_slots.Length - 1)];

    /// <summary>Advances the head past slots whose fate is settled.</summary>
    internal void Compact()
    {
        while (_count > 0 && _slots[_head].State >= SlotState.Acked)
        {
            _slots[_head] = default;
            _head = (_head + 1) & (_slots.Length - 1);
            _count--;
        }
        if (_count == 0) _head = 0;
    }

    /// <summary>Forgets every slot and the per-space timers (the largest sent packet number is kept).</summary>
    internal void Clear()
    {
        Array.Clear(_slots);
        _head = 0;
        _count = 0;
        TimeOfLastAckEliciting = Instant.Zero;
        LossTime = Instant.Never;
        AckElicitingInFlight = 0;
        BytesInFlight = 0;
        SkippedCount = 0;
    }

    /// <summary>Back to the state of a new space.</summary>
    internal void Reset()
    {
        Clear();
        HasSent = false;
        LargestSent = 0;
        HasLargestAcked = false;
        LargestAcked = 0;
        LargestAckedTimeSent = Instant.Zero;
    }

    private void Append(in SentPacket packet, SlotState state)
    {
        if (HasSent && packet.PacketNumber <= LargestSent)
        {
            throw new ArgumentException(
                $"Packet numbers must increase: {packet.PacketNumber} after {LargestSent} in {Space}.", nameof(packet));
        }
        if (_count == _slots.Length) Grow();
        ref Slot slot = ref SlotAt(_count);
        slot.Packet = packet;
        slot.State = state;
        _count++;
        HasSent = true;
        LargestSent = packet.PacketNumber;
    }

    private void Grow()
    {
        var larger = new Slot[_slots.Length * 2];
        for (int i = 0; i < _count; i++) larger[i] = SlotAt(i);
        _slots = larger;
        _head = 0;
    }

    internal enum SlotState : byte
    {
        /// <summary>Sent, fate unknown.</summary>
        Outstanding,

        /// <summary>A packet number skipped on purpose; never sent.</summary>
        Skipped,

        /// <summary>Acknowledged by the ACK frame being processed; callbacks not yet run.</summary>
        AckPending,

        // States from here on are settled: the head may pass them.

        /// <summary>Acknowledged and reported.</summary>
        Acked,

        /// <summary>Declared lost and reported.</summary>
        Lost,

        /// <summary>A skipped packet number that no longer needs checking.</summary>
        Removed,
    }

    internal struct Slot
    {
        public SentPacket Packet;
        public SlotState State;
    }
}
