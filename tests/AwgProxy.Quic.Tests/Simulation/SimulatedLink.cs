using System.Net;

namespace AwgProxy.Quic.Tests.Simulation;

/// <summary>A datagram in flight on a <see cref="SimulatedLink"/>.</summary>
internal sealed record SimulatedDatagram(byte[] Payload, SocketAddress Source, SocketAddress Destination, Instant SentAt, bool ContainsClientHello);

/// <summary>
/// One direction of a simulated network path in virtual time: one-way delay, seeded random loss, optional reordering
/// (some datagrams take an extra delay), a maximum datagram size, and hooks to drop or rewrite datagrams. Counts what
/// it carried. Deterministic for a given seed and input.
/// </summary>
internal sealed class SimulatedLink
{
    private readonly PriorityQueue<SimulatedDatagram, (long Ticks, long Sequence)> _queue = new();
    private readonly Random _random;
    private long _sequence;
    private Instant _busyUntil;

    public SimulatedLink(int seed)
    {
        _random = new Random(seed);
    }

    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Probability that a datagram is lost.</summary>
    public double LossRate { get; set; }

    /// <summary>Probability that a datagram is held back by <see cref="ReorderDelay"/> (overtaken by later ones).</summary>
    public double ReorderRate { get; set; }

    public TimeSpan ReorderDelay { get; set; } = TimeSpan.FromMilliseconds(15);

    /// <summary>The link's rate (0: unlimited). Datagrams queue behind each other (serialisation delay).</summary>
    public long BandwidthBytesPerSecond { get; set; }

    /// <summary>With a bandwidth, datagrams that would wait longer than this in the queue are dropped (drop-tail).</summary>
    public TimeSpan MaxQueueDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Probability that a datagram is delivered twice.</summary>
    public double DuplicateRate { get; set; }

    /// <summary>Datagrams above this size are dropped.</summary>
    public int MaxDatagramSize { get; set; } = 1500;

    /// <summary>Return false to drop a datagram (deterministic loss).</summary>
    public Func<SimulatedDatagram, bool>? Filter { get; set; }

    /// <summary>Rewrites a datagram before delivery; null drops it.</summary>
    public Func<SimulatedDatagram, SimulatedDatagram?>? Rewrite { get; set; }

    public long DatagramsSent { get; private set; }

    public long BytesSent { get; private set; }

    public long DatagramsDropped { get; private set; }

    /// <summary>Every datagram put on the link, in order (before loss).</summary>
    public List<SimulatedDatagram> Log { get; } = [];

    public bool KeepLog { get; set; } = true;

    public Instant NextDelivery => _queue.TryPeek(out _, out (long Ticks, long Sequence) key) ? new Instant(key.Ticks) : Instant.Never;

    public int InFlight => _queue.Count;

    public void Send(Instant now, SimulatedDatagram datagram)
    {
        DatagramsSent++;
        BytesSent += datagram.Payload.Length;
        if (KeepLog) Log.Add(datagram);
        bool lost = LossRate > 0 && _random.NextDouble() < LossRate;
        if (lost || datagram.Payload.Length > MaxDatagramSize || (Filter is { } filter && !filter(datagram)))
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

        Instant at = now + Delay;
        if (BandwidthBytesPerSecond > 0)
        {
            Instant start = _busyUntil > now ? _busyUntil : now;
            if (start - now > MaxQueueDelay)
            {
                DatagramsDropped++;
                return;
            }

            _busyUntil = start + TimeSpan.FromTicks(datagram.Payload.Length * TimeSpan.TicksPerSecond / BandwidthBytesPerSecond);
            at = _busyUntil + Delay;
        }

        if (ReorderRate > 0 && _random.NextDouble() < ReorderRate) at += ReorderDelay;
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
}
