using System.Net;

namespace AwgProxy.Quic.Tests.Simulation;

/// <summary>A datagram in flight on a <see cref="SimulatedLink"/>, with the ECN codepoint of its IP header.</summary>
internal sealed record SimulatedDatagram(byte[] Payload, SocketAddress Source, SocketAddress Destination, Instant SentAt, bool ContainsClientHello, EcnCodepoint Ecn = EcnCodepoint.NotEct);

/// <summary>
/// One direction of a simulated network path in virtual time. Deterministic for a given seed and input.
/// </summary>
/// <remarks>
/// <para>What happens to a datagram handed to <see cref="Send"/>, in order:</para>
/// <list type="number">
/// <item>Blackhole periods (<see cref="AddBlackhole"/>), random loss (<see cref="LossRate"/>), Gilbert-Elliott burst
/// loss (<see cref="BurstLoss"/>), the size limit (<see cref="MaxDatagramSize"/>, the path MTU for UDP payloads) and
/// the <see cref="Filter"/>/<see cref="Rewrite"/> hooks may drop it. Loss happens before the bottleneck, as with
/// netem on the sending interface: a lost datagram does not use link capacity.</item>
/// <item>With a <see cref="BandwidthBytesPerSecond"/>, it queues behind earlier datagrams (FIFO, serialisation
/// delay of payload plus <see cref="PerDatagramOverhead"/> bytes); when it would wait longer than
/// <see cref="MaxQueueDelay"/> it is dropped (drop-tail). When it waits longer than <see cref="EcnMarkThreshold"/> and
/// carries ECT(0) or ECT(1), its codepoint becomes CE (a simple AQM marking on queue delay).</item>
/// <item>It then takes the one-way <see cref="Delay"/> plus a uniform jitter in [-<see cref="Jitter"/>,
/// +<see cref="Jitter"/>]. Jitter keeps the link FIFO: a datagram never overtakes an earlier one (its delivery is
/// at least the previous datagram's), so jitter alone does not reorder. Reordering is its own knob:
/// <see cref="ReorderRate"/> holds single datagrams back by <see cref="ReorderDelay"/> after the FIFO stage.</item>
/// <item><see cref="CorruptionRate"/> flips one random bit of a copy (the receiver's AEAD rejects it),
/// <see cref="DuplicateRate"/> delivers a second copy, <see cref="BleachEcn"/> clears the ECN field.</item>
/// </list>
/// </remarks>
internal sealed class SimulatedLink
{
    private readonly PriorityQueue<SimulatedDatagram, (long Ticks, long Sequence)> _queue = new();
    private readonly List<(Instant Start, Instant End)> _blackholes = [];
    private readonly Random _random;
    private long _sequence;
    private Instant _busyUntil;
    private Instant _lastDelivery;
    private bool _burstBad;

    public SimulatedLink(int seed)
    {
        _random = new Random(seed);
    }

    /// <summary>One-way propagation delay.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Each datagram's delay varies uniformly within ± this (FIFO order is kept).</summary>
    public TimeSpan Jitter { get; set; }

    /// <summary>Probability that a datagram is lost (independently of the others).</summary>
    public double LossRate { get; set; }

    /// <summary>Gilbert-Elliott burst loss (null: none).</summary>
    public GilbertElliott? BurstLoss { get; set; }

    /// <summary>Probability that a datagram is held back by <see cref="ReorderDelay"/> (overtaken by later ones).</summary>
    public double ReorderRate { get; set; }

    public TimeSpan ReorderDelay { get; set; } = TimeSpan.FromMilliseconds(15);

    /// <summary>The link's rate (0: unlimited). Datagrams queue behind each other (serialisation delay).</summary>
    public long BandwidthBytesPerSecond { get; set; }

    /// <summary>Bytes each datagram costs on the link beyond its UDP payload (28 for IPv4 + UDP; 0 by default).</summary>
    public int PerDatagramOverhead { get; set; }

    /// <summary>With a bandwidth, datagrams that would wait longer than this in the queue are dropped (drop-tail).</summary>
    public TimeSpan MaxQueueDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>With a bandwidth, ECN-capable datagrams that wait longer than this are marked CE (null: never).</summary>
    public TimeSpan? EcnMarkThreshold { get; set; }

    /// <summary>The link clears every ECN codepoint (a middlebox that bleaches the field).</summary>
    public bool BleachEcn { get; set; }

    /// <summary>Probability that a delivered datagram has one bit flipped.</summary>
    public double CorruptionRate { get; set; }

    /// <summary>Probability that a datagram is delivered twice.</summary>
    public double DuplicateRate { get; set; }

    /// <summary>Datagrams above this size are dropped (the path MTU, in UDP payload bytes).</summary>
    public int MaxDatagramSize { get; set; } = 1500;

    /// <summary>Return false to drop a datagram (deterministic loss).</summary>
    public Func<SimulatedDatagram, bool>? Filter { get; set; }

    /// <summary>Rewrites a datagram before delivery; null drops it.</summary>
    public Func<SimulatedDatagram, SimulatedDatagram?>? Rewrite { get; set; }

    public long DatagramsSent { get; private set; }

    public long BytesSent { get; private set; }

    public long DatagramsDropped { get; private set; }

    public long DatagramsDroppedByQueue { get; private set; }

    public long DatagramsMarkedCe { get; private set; }

    public long DatagramsCorrupted { get; private set; }

    /// <summary>Every datagram put on the link, in order (before loss), while <see cref="KeepLog"/> is set.</summary>
    public List<SimulatedDatagram> Log { get; } = [];

    public bool KeepLog { get; set; } = true;

    public Instant NextDelivery => _queue.TryPeek(out _, out (long Ticks, long Sequence) key) ? new Instant(key.Ticks) : Instant.Never;

    public int InFlight => _queue.Count;

    /// <summary>Drops everything sent from <paramref name="start"/> for <paramref name="duration"/> (a path that stops answering).</summary>
    public void AddBlackhole(Instant start, TimeSpan duration) => _blackholes.Add((start, start + duration));

    public bool IsBlackholed(Instant now)
    {
        foreach ((Instant start, Instant end) in _blackholes)
        {
            if (now >= start && now < end) return true;
        }

        return false;
    }

    /// <summary>
    /// A running hash of every datagram put on the link (send time and size; the bytes themselves differ between runs
    /// because TLS key shares are fresh): two runs from one seed must produce the same value. Only kept while
    /// <see cref="HashTrace"/> is set.
    /// </summary>
    public ulong TraceHash { get; private set; } = 14695981039346656037UL;

    public bool HashTrace { get; set; }

    public void Send(Instant now, SimulatedDatagram datagram)
    {
        DatagramsSent++;
        if (HashTrace) TraceHash = HashDatagram(TraceHash, now, datagram.Payload.Length);
        BytesSent += datagram.Payload.Length;
        if (KeepLog) Log.Add(datagram);

        // The random draws happen for every datagram in the same order, so one knob does not shift the others.
        bool randomLoss = LossRate > 0 && _random.NextDouble() < LossRate;
        bool burstLoss = BurstLoss is { } burst && NextBurstLoss(burst);
        if (randomLoss || burstLoss || IsBlackholed(now) || datagram.Payload.Length > MaxDatagramSize || (Filter is { } filter && !filter(datagram)))
        {
            DatagramsDropped++;
            return;
        }

        if (Rewrite is { } rewrite)
        {
            SimulatedDatagram? rewritten = rewrite(datagram);
            if (rewritten is null)
            {
                DatagramsDropped++;
                return;
            }

            datagram = rewritten;
        }

        Instant departure = now;
        if (BandwidthBytesPerSecond > 0)
        {
            Instant start = _busyUntil > now ? _busyUntil : now;
            TimeSpan queueDelay = start - now;
            if (queueDelay > MaxQueueDelay)
            {
                DatagramsDropped++;
                DatagramsDroppedByQueue++;
                return;
            }

            if (EcnMarkThreshold is { } threshold && queueDelay > threshold && datagram.Ecn is EcnCodepoint.Ect0 or EcnCodepoint.Ect1)
            {
                datagram = datagram with { Ecn = EcnCodepoint.Ce };
                DatagramsMarkedCe++;
            }

            long wireBytes = datagram.Payload.Length + PerDatagramOverhead;
            _busyUntil = start + TimeSpan.FromTicks(wireBytes * TimeSpan.TicksPerSecond / BandwidthBytesPerSecond);
            departure = _busyUntil;
        }

        Instant at = departure + Delay;
        if (Jitter > TimeSpan.Zero) at += TimeSpan.FromTicks((long)((_random.NextDouble() * 2 - 1) * Jitter.Ticks));
        if (at < _lastDelivery) at = _lastDelivery;
        _lastDelivery = at;

        if (ReorderRate > 0 && _random.NextDouble() < ReorderRate) at += ReorderDelay;
        if (BleachEcn && datagram.Ecn != EcnCodepoint.NotEct) datagram = datagram with { Ecn = EcnCodepoint.NotEct };
        if (CorruptionRate > 0 && _random.NextDouble() < CorruptionRate)
        {
            byte[] corrupted = (byte[])datagram.Payload.Clone();
            int bit = _random.Next(corrupted.Length * 8);
            corrupted[bit / 8] ^= (byte)(1 << (bit % 8));
            datagram = datagram with { Payload = corrupted };
            DatagramsCorrupted++;
        }

        _queue.Enqueue(datagram, (at.Ticks, _sequence++));
        if (DuplicateRate > 0 && _random.NextDouble() < DuplicateRate) _queue.Enqueue(datagram with { Payload = (byte[])datagram.Payload.Clone() }, (at.Ticks + 1, _sequence++));
    }

    public bool TryReceive(Instant now, out SimulatedDatagram datagram)
    {
        if (_queue.TryPeek(out datagram!, out (long Ticks, long Sequence) key) && key.Ticks <= now.Ticks)
        {
            _queue.Dequeue();
            return true;
        }

        datagram = null!;
        return false;
    }

    public void Clear() => _queue.Clear();

    /// <summary>FNV-1a style mixing of the send time and the length.</summary>
    private static ulong HashDatagram(ulong hash, Instant now, int length)
    {
        const ulong Prime = 1099511628211UL;
        hash = (hash ^ (ulong)now.Ticks) * Prime;
        return (hash ^ (ulong)length) * Prime;
    }

    /// <summary>Advances the two-state loss chain by one datagram; true when this datagram is lost.</summary>
    private bool NextBurstLoss(GilbertElliott model)
    {
        _burstBad = _burstBad ? _random.NextDouble() >= model.BadToGood : _random.NextDouble() < model.GoodToBad;
        double lossProbability = _burstBad ? model.LossInBad : model.LossInGood;
        return lossProbability > 0 && _random.NextDouble() < lossProbability;
    }
}

/// <summary>
/// The Gilbert-Elliott burst loss model: a good and a bad state, switching with the given probabilities per datagram,
/// with a loss probability in each. The mean burst length is about 1 / <see cref="BadToGood"/> datagrams; the long-run
/// share of time in the bad state is GoodToBad / (GoodToBad + BadToGood).
/// </summary>
internal sealed record GilbertElliott(double GoodToBad, double BadToGood, double LossInBad = 1.0, double LossInGood = 0.0)
{
    /// <summary>The long-run loss rate.</summary>
    public double MeanLossRate => (GoodToBad * LossInBad + BadToGood * LossInGood) / (GoodToBad + BadToGood);
}
