using System.Net;
using System.Net.Sockets;
using AwgProxy.Quic;
using AwgProxy.Quic.Transport.Paths;

namespace AwgProxy.Obfuscation.Tests.Support;

/// <summary>One datagram as a test sees it: a copy of the payload, its source and ECN codepoint.</summary>
public sealed record Received(byte[] Payload, IPEndPoint From, EcnCodepoint Ecn);

/// <summary>One datagram to send: payload, flags and ECN codepoint.</summary>
public sealed record Outgoing(byte[] Payload, DatagramFlags Flags = DatagramFlags.None, EcnCodepoint Ecn = EcnCodepoint.NotEct);

/// <summary>Send and receive helpers over any <see cref="IDatagramPath"/>, bounded so a lost datagram fails a test instead of hanging it.</summary>
public static class PathIo
{
    /// <summary>How long a test waits for a datagram before failing (a bound, never an assertion).</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public const int SlotSize = 2048;

    public static Task SendAsync(IDatagramPath path, EndPoint to, byte[] payload, DatagramFlags flags = DatagramFlags.None) =>
        SendAsync(path, to, [new Outgoing(payload, flags)]);

    public static async Task SendAsync(IDatagramPath path, EndPoint to, IReadOnlyList<Outgoing> datagrams)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(datagrams);
        var batch = new DatagramBatch(Math.Max(datagrams.Count, 1), SlotSize);
        for (var i = 0; i < datagrams.Count; i++)
        {
            datagrams[i].Payload.CopyTo(batch.GetArray(i), 0);
            batch.SetPayload(i, 0, datagrams[i].Payload.Length);
            batch.SetAddress(i, (IPEndPoint)to);
            batch.SetFlags(i, datagrams[i].Flags);
            batch.SetEcn(i, datagrams[i].Ecn);
        }

        using var timeout = new CancellationTokenSource(Bound);
        await path.SendBatchAsync(batch, datagrams.Count, timeout.Token);
    }

    /// <summary>One ReceiveBatchAsync call into a batch of <paramref name="capacity"/> slots.</summary>
    public static async Task<List<Received>> ReceiveBatchAsync(IDatagramPath path, int capacity = 16)
    {
        ArgumentNullException.ThrowIfNull(path);
        var batch = new DatagramBatch(capacity, SlotSize);
        using var timeout = new CancellationTokenSource(Bound);
        var count = await path.ReceiveBatchAsync(batch, timeout.Token);
        var received = new List<Received>(count);
        for (var i = 0; i < count; i++)
        {
            received.Add(new Received(batch.GetPayloadSpan(i).ToArray(), ToEndPoint(batch.GetAddress(i)), batch.GetEcn(i)));
        }

        return received;
    }

    /// <summary>Receives until <paramref name="count"/> datagrams have arrived.</summary>
    public static async Task<List<Received>> ReceiveAsync(IDatagramPath path, int count)
    {
        var received = new List<Received>();
        while (received.Count < count)
        {
            received.AddRange(await ReceiveBatchAsync(path));
        }

        Assert.Equal(count, received.Count);
        return received;
    }

    public static IPEndPoint ToEndPoint(SocketAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var template = address.Family == AddressFamily.InterNetwork ? new IPEndPoint(IPAddress.Any, 0) : new IPEndPoint(IPAddress.IPv6Any, 0);
        return (IPEndPoint)template.Create(address);
    }
}
