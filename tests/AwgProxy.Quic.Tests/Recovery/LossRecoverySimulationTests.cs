using AwgProxy.Quic.Congestion;
using AwgProxy.Quic.Recovery;
using static AwgProxy.Quic.Tests.Recovery.Time;

namespace AwgProxy.Quic.Tests.Recovery;

/// <summary>
/// A seeded simulation in virtual time: a sender (LossDetection + NewReno + Pacer) pushes messages through a link that
/// drops, delays, reorders and duplicates datagrams to a receiver that acknowledges with a
/// <see cref="ReceivedPacketTracker"/>. The receiver tracks its ACK-only packets with its own
/// <see cref="LossDetection"/>, and the sender piggybacks ACKs of them, so ACK-of-ACK pruning runs in the loop too.
/// Every sent packet must end acknowledged or lost exactly once, every message must be delivered, and bytes in flight
/// must return to zero.
/// </summary>
public class LossRecoverySimulationTests
{
    private const int PacketSize = 1200;
    private const int AckPacketSize = 60;
    private const int AckDelayExponent = 3;
    private const PacketNumberSpace App = PacketNumberSpace.ApplicationData;

    [Theory]
    [InlineData(1, 0.0, 0.0, 64)]
    [InlineData(2, 0.02, 0.1, 64)]
    [InlineData(3, 0.1, 0.3, 16)]
    [InlineData(4, 0.2, 0.5, 8)]
    [InlineData(5, 0.35, 0.2, 32)]
    public void LossyReorderingLink_EveryPacketSettlesExactlyOnce(int seed, double lossRate, double reorderRate, int maxRanges)
    {
        var sim = new Simulation(seed, lossRate, reorderRate, maxRanges, messages: 1500);

        sim.Run(maxSteps: 400_000);

        Assert.True(sim.Finished, $"not finished: {sim.DeliveredCount} of {sim.MessageCount} delivered");
        Assert.Equal(sim.MessageCount, sim.DeliveredCount);
        Assert.Equal(sim.SenderPacketsSent, sim.SenderSettled.Count);
        Assert.All(sim.SenderSettled.Values, count => Assert.Equal(1, count));
        Assert.Equal(0, sim.Sender.BytesInFlight);
        Assert.False(sim.Sender.HasAckElicitingInFlight(App));
        Assert.Equal(0, sim.Sender.GetSentPackets(App).BytesInFlight);
        Assert.All(sim.ReceiverSettled.Values, count => Assert.Equal(1, count));
        Assert.False(sim.SawAckOfUnsentPacket);

        RecoveryStats stats = sim.Sender.GetStats();
        Assert.Equal(stats.PacketsSent, stats.PacketsAcked + stats.PacketsLost);
        Assert.True(stats.CongestionWindow >= NewReno.MinimumWindowFor(PacketSize));
        // The link duplicates 2% of datagrams: the receiver must have recognised the copies.
        Assert.True(sim.ReceiverDuplicates > 0);
        if (lossRate == 0 && reorderRate == 0) Assert.Equal(0, stats.PacketsLost);
        else Assert.True(stats.PacketsLost > 0);
    }

    private sealed record Datagram(bool ToReceiver, ulong PacketNumber, bool AckEliciting, int Message, PacketNumberRange[] Ack, ulong AckDelayField);

    private sealed class Simulation
    {
        private readonly Random _random;
        private readonly double _lossRate;
        private readonly double _reorderRate;
        private readonly PriorityQueue<Datagram, (long Ticks, long Sequence)> _link = new();
        private readonly PacketNumberRange[] _ackBuffer = new PacketNumberRange[32];
        private readonly NewReno _congestion = new(PacketSize);
        private readonly Pacer _pacer;
        private readonly ReceivedPacketTracker _senderReceived = new(App);
        private readonly ReceivedPacketTracker _receiverReceived;
        private readonly LossDetection _receiverLoss = new(isServer: true, new NewReno(PacketSize));
        private readonly Queue<int> _pending = new();
        private readonly bool[] _queued;
        private readonly bool[] _delivered;
        private readonly Dictionary<ulong, int> _messageOf = [];
        private long _sequence;
        private ulong _senderNextPn;
        private ulong _receiverNextPn;
        private Instant _now = Instant.Zero;
        private Instant _pacerWake = Instant.Never;

        public Simulation(int seed, double lossRate, double reorderRate, int maxRanges, int messages)
        {
            _random = new Random(seed);
            _lossRate = lossRate;
            _reorderRate = reorderRate;
            MessageCount = messages;
            _queued = new bool[messages];
            _delivered = new bool[messages];
            for (int i = 0; i < messages; i++)
            {
                _pending.Enqueue(i);
                _queued[i] = true;
            }
            Sender = new LossDetection(isServer: true, _congestion);
            Sender.OnHandshakeConfirmed(_now);
            _receiverLoss.OnHandshakeConfirmed(_now);
            _pacer = new Pacer(PacketSize, NewReno.InitialWindowFor(PacketSize));
            _receiverReceived = new ReceivedPacketTracker(App, maxRanges: maxRanges);
        }

        public LossDetection Sender { get; }

        public int MessageCount { get; }

        public int DeliveredCount { get; private set; }

        public long SenderPacketsSent => (long)_senderNextPn;

        public Dictionary<ulong, int> SenderSettled { get; } = [];

        public Dictionary<ulong, int> ReceiverSettled { get; } = [];

        public int ReceiverDuplicates { get; private set; }

        public bool SawAckOfUnsentPacket { get; private set; }

        public bool Finished => DeliveredCount == MessageCount && Sender.BytesInFlight == 0;

        public void Run(int maxSteps)
        {
            SendFromSender();
            for (int step = 0; step < maxSteps && !Finished; step++)
            {
                Instant next = Instant.Min(Sender.LossDetectionDeadline, _receiverReceived.AckDeadline);
                next = Instant.Min(next, _receiverLoss.LossDetectionDeadline);
                next = Instant.Min(next, _pacerWake);
                if (_link.TryPeek(out _, out (long Ticks, long Sequence) head)) next = Instant.Min(next, new Instant(head.Ticks));
                Assert.False(next.IsNever, "the simulation stalled with nothing scheduled");
                if (next > _now) _now = next;

                while (_link.TryPeek(out Datagram? datagram, out (long Ticks, long Sequence) at) && at.Ticks <= _now.Ticks)
                {
                    _link.Dequeue();
                    if (datagram.ToReceiver) ReceiverReceive(datagram);
                    else SenderReceive(datagram);
                }

                var senderCallbacks = new SenderCallbacks(this);
                if (Sender.LossDetectionDeadline <= _now) Sender.OnLossDetectionTimeout(_now, ref senderCallbacks);
                var receiverCallbacks = new ReceiverCallbacks(this);
                if (_receiverLoss.LossDetectionDeadline <= _now) _receiverLoss.OnLossDetectionTimeout(_now, ref receiverCallbacks);

                if (_receiverReceived.ShouldSendAck(_now)) SendAckFromReceiver();
                SendFromSender();
            }
        }

        private void SendFromSender()
        {
            _pacerWake = Instant.Never;
            while (true)
            {
                while (_pending.Count > 0 && _delivered[_pending.Peek()]) _queued[_pending.Dequeue()] = false;
                bool hasData = _pending.Count > 0;
                bool probe = Sender.HasPendingProbes;
                if (!hasData && !probe)
                {
                    Sender.IsApplicationLimited = true;
                    return;
                }
                Sender.IsApplicationLimited = false;
                long rate = _congestion.GetPacingRate(Sender.Rtt);
                if (!probe)
                {
                    if (!Sender.CanSend(PacketSize)) return;
                    Instant at = _pacer.NextSendTime(_now, PacketSize, rate);
                    if (at > _now)
                    {
                        _pacerWake = at;
                        return;
                    }
                }

                int message = -1; // a PING when only a probe is owed
                if (hasData)
                {
                    message = _pending.Dequeue();
                    _queued[message] = false;
                }
                ulong pn = _senderNextPn++;
                PacketNumberRange[] ack = [];
                if (_senderReceived.HasPendingAck)
                {
                    int count = _senderReceived.GetAckRanges(_ackBuffer);
                    ack = _ackBuffer[..count];
                    _senderReceived.OnAckSent(pn, ack[0].Largest);
                }
                _messageOf[pn] = message;
                Sender.OnPacketSent(App, pn, _now, PacketSize, isAckEliciting: true, isInFlight: true, token: (long)pn);
                _pacer.OnPacketSent(_now, PacketSize, rate);
                Transmit(new Datagram(ToReceiver: true, pn, AckEliciting: true, message, ack, 0));
            }
        }

        private void SendAckFromReceiver()
        {
            int count = _receiverReceived.GetAckRanges(_ackBuffer);
            if (count == 0) return;
            PacketNumberRange[] ack = _ackBuffer[..count];
            ulong pn = _receiverNextPn++;
            ulong delay = AckDelay.Encode(_receiverReceived.GetAckDelay(_now), AckDelayExponent);
            _receiverReceived.OnAckSent(pn, ack[0].Largest);
            _receiverLoss.OnPacketSent(App, pn, _now, AckPacketSize, isAckEliciting: false, isInFlight: false, token: (long)pn);
            Transmit(new Datagram(ToReceiver: false, pn, AckEliciting: false, -1, ack, delay));
        }

        private void ReceiverReceive(Datagram datagram)
        {
            if (_receiverReceived.IsDuplicate(datagram.PacketNumber))
            {
                ReceiverDuplicates++;
                return;
            }
            if (datagram.Ack.Length > 0)
            {
                Assert.False(_receiverLoss.AcknowledgesUnsentPacket(App, datagram.Ack));
                var callbacks = new ReceiverCallbacks(this);
                _receiverLoss.OnAckReceived(App, datagram.Ack, TimeSpan.Zero, null, _now, ref callbacks);
            }
            _receiverReceived.OnPacketReceived(datagram.PacketNumber, _now, datagram.AckEliciting);
        }

        private void SenderReceive(Datagram datagram)
        {
            if (!_senderReceived.OnPacketReceived(datagram.PacketNumber, _now, datagram.AckEliciting)) return;
            if (Sender.AcknowledgesUnsentPacket(App, datagram.Ack))
            {
                SawAckOfUnsentPacket = true;
                return;
            }
            var callbacks = new SenderCallbacks(this);
            TimeSpan ackDelay = AckDelay.Decode(datagram.AckDelayField, AckDelayExponent);
            Sender.OnAckReceived(App, datagram.Ack, ackDelay, null, _now, ref callbacks);
        }

        private void Transmit(Datagram datagram)
        {
            if (_random.NextDouble() < _lossRate) return;
            int copies = _random.NextDouble() < 0.02 ? 2 : 1;
            for (int i = 0; i < copies; i++)
            {
                TimeSpan delay = Span(20);
                if (_random.NextDouble() < _reorderRate) delay += Span(_random.NextDouble() * 30);
                _link.Enqueue(datagram, ((_now + delay).Ticks, _sequence++));
            }
        }

        private void Settle(Dictionary<ulong, int> settled, ulong pn) =>
            settled[pn] = settled.GetValueOrDefault(pn) + 1;

        private readonly struct SenderCallbacks(Simulation sim) : ILossDetectionCallbacks
        {
            public void OnPacketAcked(PacketNumberSpace space, in SentPacket packet)
            {
                ulong pn = (ulong)packet.Token;
                sim.Settle(sim.SenderSettled, pn);
                sim._senderReceived.OnSentPacketAcknowledged(pn);
                int message = sim._messageOf[pn];
                if (message >= 0 && !sim._delivered[message])
                {
                    sim._delivered[message] = true;
                    sim.DeliveredCount++;
                }
            }

            public void OnPacketLost(PacketNumberSpace space, in SentPacket packet)
            {
                ulong pn = (ulong)packet.Token;
                sim.Settle(sim.SenderSettled, pn);
                int message = sim._messageOf[pn];
                if (message >= 0 && !sim._delivered[message] && !sim._queued[message])
                {
                    sim._queued[message] = true;
                    sim._pending.Enqueue(message);
                }
            }

            public void OnPacketDiscarded(PacketNumberSpace space, in SentPacket packet) =>
                Assert.Fail("nothing is discarded in this simulation");
        }

        private readonly struct ReceiverCallbacks(Simulation sim) : ILossDetectionCallbacks
        {
            public void OnPacketAcked(PacketNumberSpace space, in SentPacket packet)
            {
                sim.Settle(sim.ReceiverSettled, packet.PacketNumber);
                sim._receiverReceived.OnSentPacketAcknowledged(packet.PacketNumber);
            }

            public void OnPacketLost(PacketNumberSpace space, in SentPacket packet) =>
                sim.Settle(sim.ReceiverSettled, packet.PacketNumber);

            public void OnPacketDiscarded(PacketNumberSpace space, in SentPacket packet) =>
                Assert.Fail("nothing is discarded in this simulation");
        }
    }
}
