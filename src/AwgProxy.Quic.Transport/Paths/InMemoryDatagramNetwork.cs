using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace AwgProxy.Quic.Transport.Paths;

/// <summary>
/// An in-memory network for tests (the analogue of wireguard-go's bindtest): each <see cref="CreatePath"/>
/// call gives a path with its own loopback-like address, and datagrams travel between paths through bounded
/// queues. A full queue drops, like a real network; an optional seeded loss rate and filter drop more.
/// </summary>
public sealed class InMemoryDatagramNetwork
{
    private readonly Dictionary<SocketAddress, InMemoryDatagramPath> _paths = [];
    private readonly Lock _lock = new();
    private readonly Random _random;
    private int _nextPort = 10000;

    public InMemoryDatagramNetwork(double lossRate = 0, int seed = 1, int queueCapacity = 4096, int maxDatagramSize = 1452)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lossRate, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lossRate, 1);
        LossRate = lossRate;
        QueueCapacity = queueCapacity;
        MaxDatagramSize = maxDatagramSize;
        _random = new Random(seed);
    }

    public double LossRate { get; set; }

    public int QueueCapacity { get; }

    public int MaxDatagramSize { get; }

    /// <summary>Optional filter: return false to drop a datagram (sender, destination, payload).</summary>
    public Func<EndPoint, EndPoint, ReadOnlyMemory<byte>, bool>? Filter { get; set; }

    /// <summary>Datagrams delivered and dropped so far.</summary>
    public long Delivered { get; private set; }

    public long Dropped { get; private set; }

    /// <summary>Creates a path with a fresh address 127.0.0.1:port.</summary>
    public InMemoryDatagramPath CreatePath()
    {
        lock (_lock)
        {
            var endPoint = new IPEndPoint(IPAddress.Loopback, _nextPort++);
            var path = new InMemoryDatagramPath(this, endPoint);
            _paths[endPoint.Serialize()] = path;
            return path;
        }
    }

    internal void Remove(InMemoryDatagramPath path)
    {
        lock (_lock)
        {
            _paths.Remove(path.LocalAddress);
        }
    }

    internal void Send(InMemoryDatagramPath from, ReadOnlySpan<byte> payload, SocketAddress to)
    {
        InMemoryDatagramPath? target;
        byte[] copy;
        lock (_lock)
        {
            _paths.TryGetValue(to, out target);
            copy = payload.ToArray();
            bool drop = target is null
                || (LossRate > 0 && _random.NextDouble() < LossRate)
                || (Filter is { } filter && !filter(from.LocalEndPoint, target.LocalEndPoint, copy));
            if (drop)
            {
                Dropped++;
                return;
            }
        }

        if (target!.Enqueue(new InMemoryDatagram(copy, from.LocalAddress)))
        {
            lock (_lock) Delivered++;
        }
        else
        {
            lock (_lock) Dropped++;
        }
    }
}

internal readonly record struct InMemoryDatagram(byte[] Payload, SocketAddress Source);

/// <summary>One endpoint of an <see cref="InMemoryDatagramNetwork"/>.</summary>
public sealed class InMemoryDatagramPath : IDatagramPath
{
    private readonly InMemoryDatagramNetwork _network;
    private readonly Channel<InMemoryDatagram> _inbox;

    internal InMemoryDatagramPath(InMemoryDatagramNetwork network, IPEndPoint endPoint)
    {
        _network = network;
        LocalEndPoint = endPoint;
        LocalAddress = endPoint.Serialize();
        _inbox = Channel.CreateBounded<InMemoryDatagram>(new BoundedChannelOptions(network.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
    }

    public EndPoint LocalEndPoint { get; }

    internal SocketAddress LocalAddress { get; }

    public int MaxDatagramSize => _network.MaxDatagramSize;

    internal bool Enqueue(InMemoryDatagram datagram) => _inbox.Writer.TryWrite(datagram);

    public async ValueTask<int> ReceiveBatchAsync(DatagramBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        InMemoryDatagram first = await _inbox.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        Fill(batch, 0, first);
        int count = 1;
        while (count < batch.Capacity && _inbox.Reader.TryRead(out InMemoryDatagram next))
        {
            Fill(batch, count++, next);
        }

        return count;
    }

    private static void Fill(DatagramBatch batch, int index, InMemoryDatagram datagram)
    {
        int length = Math.Min(datagram.Payload.Length, batch.BufferSize);
        datagram.Payload.AsSpan(0, length).CopyTo(batch.GetArray(index));
        batch.SetPayload(index, 0, length);
        batch.SetAddress(index, datagram.Source);
        batch.SetEcn(index, Quic.EcnCodepoint.NotEct);
    }

    public ValueTask SendBatchAsync(DatagramBatch batch, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> payload = batch.GetPayloadSpan(i);
            if (payload.Length > MaxDatagramSize)
            {
                throw new ArgumentException($"Datagram of {payload.Length} bytes exceeds the path's {MaxDatagramSize}.", nameof(batch));
            }

            _network.Send(this, payload, batch.GetAddress(i));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _network.Remove(this);
        _inbox.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
