using System.Net;
using System.Net.Sockets;
using AwgProxy.Quic.Transport.Paths;

namespace AwgProxy.Quic.Transport.Tests.Paths;

public class UdpDatagramPathTests
{
    [Fact]
    public async Task BatchSentOverLoopback_ArrivesWithSourceAddressAndPayloads()
    {
        await using var a = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var b = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var send = new DatagramBatch(8, 1500, AddressFamily.InterNetwork);
        for (int i = 0; i < 8; i++)
        {
            byte[] payload = Enumerable.Repeat((byte)i, 100 + i).ToArray();
            payload.CopyTo(send.GetArray(i), 0);
            send.SetPayload(i, 0, payload.Length);
            send.SetAddress(i, (IPEndPoint)b.LocalEndPoint);
        }

        await a.SendBatchAsync(send, 8, timeout.Token);

        var receive = new DatagramBatch(4, 1500, AddressFamily.InterNetwork);
        var seen = new List<byte[]>();
        while (seen.Count < 8)
        {
            int n = await b.ReceiveBatchAsync(receive, timeout.Token);
            Assert.InRange(n, 1, 4);
            for (int i = 0; i < n; i++)
            {
                seen.Add(receive.GetPayload(i).ToArray());
                var source = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(receive.GetAddress(i));
                Assert.Equal(a.LocalEndPoint, source);
            }
        }

        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(100 + i, seen[i].Length);
            Assert.All(seen[i], x => Assert.Equal((byte)i, x));
        }
    }

    [Fact]
    public async Task DatagramLargerThanTheSendLimit_IsReceivedWholeInASlotOfMaxReceiveDatagramSize()
    {
        // A peer's Initial or PMTU probe may exceed what we send (and advertise): it must not be truncated and lost.
        await using var b = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Assert.Equal(65527, b.MaxReceiveDatagramSize);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        byte[] large = Enumerable.Range(0, 9000).Select(i => (byte)i).ToArray();
        sender.SendTo(large, b.LocalEndPoint);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var receive = new DatagramBatch(2, b.MaxReceiveDatagramSize, AddressFamily.InterNetwork);
        Assert.Equal(1, await b.ReceiveBatchAsync(receive, timeout.Token));
        Assert.Equal(large, receive.GetPayload(0).ToArray());
    }

    [Fact]
    public async Task SendToClosedPort_IsADropNotAFailure()
    {
        await using var a = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        IPEndPoint closed;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            closed = (IPEndPoint)probe.LocalEndPoint!;
        }

        var send = new DatagramBatch(1, 100, AddressFamily.InterNetwork);
        send.SetPayload(0, 0, 10);
        send.SetAddress(0, closed);
        for (int i = 0; i < 3; i++)
        {
            await a.SendBatchAsync(send, 1, CancellationToken.None);
        }

        // The path still receives afterwards (an ICMP port-unreachable must not break the receive loop).
        await using var b = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        send.SetAddress(0, (IPEndPoint)a.LocalEndPoint);
        await b.SendBatchAsync(send, 1, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var receive = new DatagramBatch(1, 100, AddressFamily.InterNetwork);
        Assert.Equal(1, await a.ReceiveBatchAsync(receive, timeout.Token));
        Assert.Equal(10, receive.GetLength(0));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task MixedBatch_ArrivesAsTheSameDatagrams_WithOrWithoutSegmentationOffload(bool offload)
    {
        var options = new UdpDatagramPathOptions { UseSegmentationOffload = offload };
        await using var a = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0), options);
        await using var b = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var c = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        // Runs of equal sizes, a shorter one closing a run, a longer one after it, and a change of destination.
        int[] sizes = [1200, 1200, 1200, 1200, 700, 1400, 1400, 1400, 50, 1200, 1200];
        int[] targets = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1];
        var send = new DatagramBatch(sizes.Length, 1500, AddressFamily.InterNetwork);
        for (int i = 0; i < sizes.Length; i++)
        {
            send.GetArray(i).AsSpan(0, sizes[i]).Fill((byte)(i + 1));
            send.SetPayload(i, 0, sizes[i]);
            send.SetAddress(i, (IPEndPoint)(targets[i] == 0 ? b : c).LocalEndPoint);
        }

        await a.SendBatchAsync(send, sizes.Length, timeout.Token);

        List<byte[]> atB = await ReceiveAsync(b, 9, timeout.Token);
        List<byte[]> atC = await ReceiveAsync(c, 2, timeout.Token);
        for (int i = 0; i < sizes.Length; i++)
        {
            byte[] received = targets[i] == 0 ? atB[i] : atC[i - 9];
            Assert.Equal(sizes[i], received.Length);
            Assert.All(received, x => Assert.Equal((byte)(i + 1), x));
        }

        if (a.SegmentationOffload) Assert.True(a.SendCalls < sizes.Length);
        else Assert.Equal(sizes.Length, a.SendCalls);
    }

    private static async Task<List<byte[]>> ReceiveAsync(UdpDatagramPath path, int count, CancellationToken cancellationToken)
    {
        var receive = new DatagramBatch(16, 2048, AddressFamily.InterNetwork);
        var seen = new List<byte[]>();
        while (seen.Count < count)
        {
            int n = await path.ReceiveBatchAsync(receive, cancellationToken);
            for (int i = 0; i < n; i++) seen.Add(receive.GetPayload(i).ToArray());
        }

        return seen;
    }

    [Fact]
    public async Task Receive_IsCancellable()
    {
        await using var a = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var receive = new DatagramBatch(1, 100, AddressFamily.InterNetwork);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await a.ReceiveBatchAsync(receive, cts.Token));
    }
}
