using AwgProxy.Quic.Congestion;
using AwgProxy.Quic.Recovery;

namespace AwgProxy.Quic.Tests.Congestion;

/// <summary>
/// A fast packet-level model of one sender on a bottleneck, for controller tests without connections or crypto:
/// real <see cref="LossDetection"/>, <see cref="Pacer"/> and controller; a FIFO bottleneck of
/// <see cref="RateBytesPerSecond"/> with a drop-tail buffer; a fixed base RTT; the receiver acknowledges every
/// packet at once with all received ranges. Loss can be injected per packet number. Virtual time only.
/// </summary>
internal sealed class ControllerHarness
{
    public const int PacketSize = 1200;

    private readonly List<PacketNumberRange> _receivedRanges = [];
    private readonly PriorityQueue<ulong, (long, ulong)> _arrivals = new();
    private readonly Pacer _pacer;
    private readonly Callbacks _callbacks = new();
    private readonly PacketNumberRange[] _ranges = new PacketNumberRange[32];
    private Instant _linkFree;
    private ulong _nextPacketNumber;

    public ControllerHarness(ICongestionController controller, long rateBytesPerSecond, TimeSpan rtt, TimeSpan buffer)
    {
        Controller = controller;
        RateBytesPerSecond = rateBytesPerSecond;
        Rtt = rtt;
        Buffer = buffer;
        Loss = new LossDetection(isServer: true, controller);
        Loss.OnHandshakeConfirmed(Now);
        _pacer = new Pacer(PacketSize, controller.CongestionWindow);
    }

    public ICongestionController Controller { get; }

    public LossDetection Loss { get; }

    public long RateBytesPerSecond { get; set; }

    public TimeSpan Rtt { get; set; }

    public TimeSpan Buffer { get; set; }

    /// <summary>Return true to drop the packet with this number (before the bottleneck).</summary>
    public Func<ulong, bool>? Drop { get; set; }

    /// <summary>When false the sender has nothing to send (application-limited).</summary>
    public bool HasData { get; set; } = true;

    public Instant Now { get; private set; } = Instant.FromMilliseconds(1000);

    public long BytesDelivered { get; private set; }

    public long PacketsDropped { get; private set; }

    public long PacketsSent => (long)_nextPacketNumber;

    /// <summary>Runs for <paramref name="duration"/> of virtual time; <paramref name="onAck"/> runs after every ACK.</summary>
    public void Run(TimeSpan duration, Action? onAck = null)
    {
        Instant end = Now + duration;
        while (Now < end)
        {
            TrySend();
            Instant nextArrival = _arrivals.TryPeek(out _, out (long Ticks, ulong) key) ? new Instant(key.Ticks) : Instant.Never;
            Instant nextSend = HasData ? NextSendTime() : Instant.Never;
            Instant timer = Loss.LossDetectionDeadline;
            Instant next = Instant.Min(Instant.Min(nextArrival, nextSend), Instant.Min(timer, end));
            if (next > Now) Now = next;

            while (_arrivals.TryPeek(out ulong pn, out (long Ticks, ulong) at) && at.Ticks <= Now.Ticks)
            {
                _arrivals.Dequeue();
                Receive(pn);
                Acknowledge();
                onAck?.Invoke();
            }

            if (!Loss.LossDetectionDeadline.IsNever && Loss.LossDetectionDeadline <= Now)
            {
                Callbacks callbacks = _callbacks;
                Loss.OnLossDetectionTimeout(Now, ref callbacks);
            }
        }
    }

    /// <summary>Bytes delivered per second over a run of <paramref name="duration"/> starting now.</summary>
    public double MeasureGoodput(TimeSpan duration)
    {
        long before = BytesDelivered;
        Run(duration);
        return (BytesDelivered - before) / duration.TotalSeconds;
    }

    private Instant NextSendTime()
    {
        if (!Loss.HasPendingProbes && !Loss.CanSend(PacketSize)) return Instant.Never;
        return _pacer.NextSendTime(Now, PacketSize, Controller.GetPacingRate(Loss.Rtt));
    }

    private void TrySend()
    {
        while (HasData)
        {
            if (!Loss.HasPendingProbes && !Loss.CanSend(PacketSize)) break;
            long rate = Controller.GetPacingRate(Loss.Rtt);
            if (!Loss.HasPendingProbes && _pacer.NextSendTime(Now, PacketSize, rate) > Now) break;
            ulong pn = _nextPacketNumber++;
            Loss.OnPacketSent(PacketNumberSpace.ApplicationData, pn, Now, PacketSize, isAckEliciting: true, isInFlight: true);
            _pacer.OnPacketSent(Now, PacketSize, rate);
            if (Drop?.Invoke(pn) == true)
            {
                PacketsDropped++;
                continue;
            }

            Instant start = _linkFree > Now ? _linkFree : Now;
            if (start - Now > Buffer)
            {
                PacketsDropped++;
                continue;
            }

            _linkFree = start + TimeSpan.FromTicks(PacketSize * TimeSpan.TicksPerSecond / RateBytesPerSecond);
            _arrivals.Enqueue(pn, ((_linkFree + Rtt).Ticks, pn));
        }

        if (!HasData) Loss.IsApplicationLimited = true;
        else if (!Loss.CanSend(PacketSize)) Loss.IsApplicationLimited = false;
    }

    private void Acknowledge()
    {
        // Ranges largest first (the receiver remembers the newest 32).
        int count = 0;
        for (int i = _receivedRanges.Count - 1; i >= 0 && count < _ranges.Length; i--) _ranges[count++] = _receivedRanges[i];
        long before = _callbacks.AckedBytes;
        Callbacks callbacks = _callbacks;
        Loss.OnAckReceived(PacketNumberSpace.ApplicationData, _ranges.AsSpan(0, count), TimeSpan.Zero, null, Now, ref callbacks);
        BytesDelivered += _callbacks.AckedBytes - before;
    }

    /// <summary>Packets arrive in order (FIFO link): a packet extends the newest range or starts a new one after a gap.</summary>
    private void Receive(ulong packetNumber)
    {
        int last = _receivedRanges.Count - 1;
        if (last >= 0 && _receivedRanges[last].Largest + 1 == packetNumber)
        {
            _receivedRanges[last] = _receivedRanges[last] with { Largest = packetNumber };
            return;
        }

        _receivedRanges.Add(new PacketNumberRange(packetNumber, packetNumber));
        if (_receivedRanges.Count > 32) _receivedRanges.RemoveAt(0);
    }

    private sealed class Callbacks : ILossDetectionCallbacks
    {
        public long AckedBytes { get; private set; }

        public void OnPacketAcked(PacketNumberSpace space, in SentPacket packet) => AckedBytes += packet.Bytes;

        public void OnPacketLost(PacketNumberSpace space, in SentPacket packet)
        {
        }

        public void OnPacketDiscarded(PacketNumberSpace space, in SentPacket packet)
        {
        }
    }
}
