using System.Net;
using System.Net.Sockets;
using AwgProxy.Quic.Transport.Paths;

namespace AwgProxy.Quic.Transport.Tests.Paths;

/// <summary>
/// The receive paths of <see cref="UdpDatagramPath"/> on loopback: Linux <c>recvmmsg</c> with and without UDP GRO,
/// and the portable path (forced by options), deliver the same datagrams; coalesced runs are cut back into their
/// datagrams; oversized datagrams are dropped without disturbing the rest; ECN marks round-trip.
/// </summary>
public class UdpReceivePathTests
{
    public static TheoryData<bool, bool> ReceiveModes => new() { { false, false }, { true, false }, { true, true } };

    [Theory]
    [MemberData(nameof(ReceiveModes))]
    public async Task SegmentedRun_ArrivesAsItsDatagramsInOrder_InEveryReceiveMode(bool batched, bool offload)
    {
        await using var sender = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var receiver = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0), new UdpDatagramPathOptions { UseBatchedReceive = batched, UseReceiveOffload = offload });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal(batched && OperatingSystem.IsLinux(), receiver.BatchedReceive);
        if (!offload) Assert.False(receiver.ReceiveOffload);

        // A run of 20 equal datagrams and a shorter last one (one UDP_SEGMENT send), then two singles.
        int[] sizes = [.. Enumerable.Repeat(1200, 20), 500, 1400, 90];
        var send = new DatagramBatch(sizes.Length, 1500, AddressFamily.InterNetwork);
        for (int i = 0; i < sizes.Length; i++)
        {
            Fill(send.GetArray(i).AsSpan(0, sizes[i]), i);
            send.SetPayload(i, 0, sizes[i]);
            send.SetAddress(i, (IPEndPoint)receiver.LocalEndPoint);
        }

        await sender.SendBatchAsync(send, sizes.Length, timeout.Token);

        // Fewer slots than datagrams: what does not fit waits for the next call.
        var receive = new DatagramBatch(8, 2048, AddressFamily.InterNetwork);
        var seen = new List<byte[]>();
        while (seen.Count < sizes.Length)
        {
            int n = await receiver.ReceiveBatchAsync(receive, timeout.Token);
            Assert.InRange(n, 1, 8);
            for (int i = 0; i < n; i++)
            {
                seen.Add(receive.GetPayload(i).ToArray());
                Assert.Equal(sender.LocalEndPoint, new IPEndPoint(IPAddress.Any, 0).Create(receive.GetAddress(i)));
                Assert.Equal(EcnCodepoint.NotEct, receive.GetEcn(i));
            }
        }

        Assert.Equal(sizes.Length, seen.Count);
        for (int i = 0; i < sizes.Length; i++)
        {
            Assert.Equal(sizes[i], seen[i].Length);
            Assert.True(seen[i].AsSpan().SequenceEqual(Expected(sizes[i], i)), $"datagram {i} differs");
        }

        if (!receiver.BatchedReceive) Assert.Equal(0, receiver.ReceiveCalls);
        if (receiver.ReceiveOffload && sender.SegmentationOffload)
        {
            // The kernel hands a GSO run to a GRO socket whole: fewer messages than datagrams.
            Assert.True(receiver.CoalescedReceives > 0, "no coalesced message");
            Assert.True(receiver.ReceiveCalls < sizes.Length, $"{receiver.ReceiveCalls} receive calls");
        }
    }

    [Theory]
    [MemberData(nameof(ReceiveModes))]
    public async Task DatagramLargerThanTheSlot_IsDroppedAndTheNextOneArrives(bool batched, bool offload)
    {
        await using var receiver = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0), new UdpDatagramPathOptions { UseBatchedReceive = batched, UseReceiveOffload = offload });
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        sender.SendTo(new byte[3000], receiver.LocalEndPoint);
        byte[] small = Expected(100, 7);
        sender.SendTo(small, receiver.LocalEndPoint);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var receive = new DatagramBatch(4, 1500, AddressFamily.InterNetwork);
        var seen = new List<byte[]>();
        while (seen.Count == 0 || seen[^1].Length != small.Length)
        {
            int n = await receiver.ReceiveBatchAsync(receive, timeout.Token);
            for (int i = 0; i < n; i++) seen.Add(receive.GetPayload(i).ToArray());
        }

        if (receiver.BatchedReceive)
        {
            // Batched receive drops the oversized datagram whole and counts it.
            Assert.Single(seen);
            Assert.Equal(1, receiver.TruncatedDatagrams);
        }
        else
        {
            // The portable path hands over what fit of it (the QUIC core then fails to authenticate it).
            Assert.All(seen.Take(seen.Count - 1), d => Assert.True(d.Length <= 1500));
        }

        Assert.Equal(small, seen[^1]);
    }

    [Theory]
    [InlineData(EcnCodepoint.Ect0, false)]
    [InlineData(EcnCodepoint.Ect1, false)]
    [InlineData(EcnCodepoint.Ce, false)]
    [InlineData(EcnCodepoint.Ect0, true)]
    [InlineData(EcnCodepoint.Ce, true)]
    public async Task EcnMarks_RoundTripOverLoopback(EcnCodepoint ecn, bool offload)
    {
        var options = new UdpDatagramPathOptions { UseReceiveOffload = offload };
        await using var sender = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0), options);
        await using var receiver = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0), options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal(OperatingSystem.IsLinux(), receiver.SupportsEcn);

        // Marked, unmarked, marked: the mark follows each datagram (a change splits a segmented run).
        EcnCodepoint[] marks = [ecn, ecn, EcnCodepoint.NotEct, ecn];
        var send = new DatagramBatch(marks.Length, 1500, AddressFamily.InterNetwork);
        for (int i = 0; i < marks.Length; i++)
        {
            Fill(send.GetArray(i).AsSpan(0, 1000), i);
            send.SetPayload(i, 0, 1000);
            send.SetAddress(i, (IPEndPoint)receiver.LocalEndPoint);
            send.SetEcn(i, marks[i]);
        }

        await sender.SendBatchAsync(send, marks.Length, timeout.Token);

        var receive = new DatagramBatch(8, 2048, AddressFamily.InterNetwork);
        var received = new List<(byte First, EcnCodepoint Ecn)>();
        while (received.Count < marks.Length)
        {
            int n = await receiver.ReceiveBatchAsync(receive, timeout.Token);
            for (int i = 0; i < n; i++) received.Add((receive.GetArray(i)[0], receive.GetEcn(i)));
        }

        for (int i = 0; i < marks.Length; i++)
        {
            Assert.Equal(Expected(1, i)[0], received[i].First);
            Assert.Equal(receiver.SupportsEcn && sender.SupportsEcn ? marks[i] : EcnCodepoint.NotEct, received[i].Ecn);
        }
    }

    [Fact]
    public async Task DualModeSocket_ReportsEcnOfIpv4Datagrams()
    {
        await using var receiver = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        await using var sender = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int port = ((IPEndPoint)receiver.LocalEndPoint).Port;

        var send = new DatagramBatch(1, 1500, AddressFamily.InterNetwork);
        send.SetPayload(0, 0, 200);
        send.SetAddress(0, new IPEndPoint(IPAddress.Loopback, port));
        send.SetEcn(0, EcnCodepoint.Ect0);
        await sender.SendBatchAsync(send, 1, timeout.Token);

        var receive = new DatagramBatch(2, 2048, AddressFamily.InterNetworkV6);
        Assert.Equal(1, await receiver.ReceiveBatchAsync(receive, timeout.Token));
        Assert.Equal(200, receive.GetLength(0));
        var source = (IPEndPoint)new IPEndPoint(IPAddress.IPv6Any, 0).Create(receive.GetAddress(0));
        Assert.Equal(IPAddress.Loopback, source.Address.MapToIPv4());
        Assert.Equal(((IPEndPoint)sender.LocalEndPoint).Port, source.Port);
        Assert.Equal(receiver.SupportsEcn && sender.SupportsEcn ? EcnCodepoint.Ect0 : EcnCodepoint.NotEct, receive.GetEcn(0));
    }

    [Fact]
    public async Task BufferSizes_AreAppliedAtLeastUpToTheKernelCap()
    {
        var options = new UdpDatagramPathOptions { ReceiveBufferSize = 1 << 20, SendBufferSize = 1 << 20 };
        await using var path = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0), options);

        // Linux doubles the value it stores (bookkeeping overhead); other systems report it as set. A cap below
        // 1 MiB (net.core.rmem_max without CAP_NET_ADMIN) still leaves more than the usual 208 KiB default.
        Assert.True(path.ReceiveBufferSize >= 256 * 1024, $"receive buffer {path.ReceiveBufferSize}");
        Assert.True(path.SendBufferSize >= 256 * 1024, $"send buffer {path.SendBufferSize}");
    }

    [Fact]
    public async Task BatchedReceive_TakesManyDatagramsPerCall()
    {
        await using var sender = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0), new UdpDatagramPathOptions { UseSegmentationOffload = false });
        await using var receiver = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0), new UdpDatagramPathOptions { UseReceiveOffload = false });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        const int Count = 40;
        var send = new DatagramBatch(Count, 1500, AddressFamily.InterNetwork);
        for (int i = 0; i < Count; i++)
        {
            Fill(send.GetArray(i).AsSpan(0, 300), i);
            send.SetPayload(i, 0, 300);
            send.SetAddress(i, (IPEndPoint)receiver.LocalEndPoint);
        }

        await sender.SendBatchAsync(send, Count, timeout.Token);
        var receive = new DatagramBatch(64, 2048, AddressFamily.InterNetwork);
        int total = 0;
        while (total < Count)
        {
            int n = await receiver.ReceiveBatchAsync(receive, timeout.Token);
            for (int i = 0; i < n; i++) Assert.Equal(Expected(300, total + i), receive.GetPayload(i).ToArray());
            total += n;
        }

        Assert.Equal(Count, total);
        if (receiver.BatchedReceive) Assert.True(receiver.ReceiveCalls < Count, $"{receiver.ReceiveCalls} calls for {Count} datagrams");
    }

    [Theory]
    [MemberData(nameof(ReceiveModes))]
    public async Task ReceivingQueuedDatagrams_AllocatesNothing(bool batched, bool offload)
    {
        await using var sender = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var receiver = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0), new UdpDatagramPathOptions { UseBatchedReceive = batched, UseReceiveOffload = offload });
        const int PerRound = 48;
        var send = new DatagramBatch(PerRound, 1500, AddressFamily.InterNetwork);
        for (int i = 0; i < PerRound; i++)
        {
            send.SetPayload(i, 0, 1200);
            send.SetAddress(i, (IPEndPoint)receiver.LocalEndPoint);
        }

        var receive = new DatagramBatch(16, 2048, AddressFamily.InterNetwork);
        long allocated = 0;
        int received = 0, measured = 0, synchronous = 0;
        for (int round = 0; round < 40; round++)
        {
            await sender.SendBatchAsync(send, PerRound, CancellationToken.None);
            int inRound = 0;
            while (inRound < PerRound)
            {
                // Queued datagrams are taken synchronously; only those calls are measured (a wait may allocate once per batch).
                int collections = GC.CollectionCount(0);
                long before = GC.GetAllocatedBytesForCurrentThread();
                ValueTask<int> pending = receiver.ReceiveBatchAsync(receive, CancellationToken.None);
                if (pending.IsCompletedSuccessfully)
                {
                    int n = await pending;
                    if (round >= 10)
                    {
                        synchronous++;
                        if (UndisturbedByCollection(collections))
                        {
                            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                            measured++;
                        }
                    }

                    inRound += n;
                }
                else
                {
                    inRound += await pending;
                }
            }

            if (round >= 10) received += inRound;
        }

        Assert.Equal(30 * PerRound, received);
        Assert.True(measured >= synchronous / 2, $"only {measured} of {synchronous} calls measured");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task BlockingReceive_DeliversWhatArrives_ReturnsZeroOnTimeout_AndAllocatesNothing()
    {
        await using var sender = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var receiver = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Assert.Equal(OperatingSystem.IsLinux(), receiver.SupportsBlockingReceive);
        if (!receiver.SupportsBlockingReceive)
        {
            Assert.Throws<NotSupportedException>(() => receiver.ReceiveBatch(new DatagramBatch(1, 2048), 0));
            return;
        }

        var receive = new DatagramBatch(16, 2048, AddressFamily.InterNetwork);
        Assert.Equal(0, receiver.ReceiveBatch(receive, 20));

        const int Count = 30;
        var send = new DatagramBatch(Count, 1500, AddressFamily.InterNetwork);
        for (int i = 0; i < Count; i++)
        {
            Fill(send.GetArray(i).AsSpan(0, 1000), i);
            send.SetPayload(i, 0, 1000);
            send.SetAddress(i, (IPEndPoint)receiver.LocalEndPoint);
        }

        long allocated = 0;
        for (int round = 0; round < 5; round++)
        {
            await sender.SendBatchAsync(send, Count, CancellationToken.None);
            int total = 0;
            for (int calls = 0; total < Count && calls < 1000; calls++)
            {
                int collections = GC.CollectionCount(0);
                long before = GC.GetAllocatedBytesForCurrentThread();
                int n = receiver.ReceiveBatch(receive, 5000);
                if (round > 0 && UndisturbedByCollection(collections)) allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                for (int i = 0; i < n; i++) Assert.Equal(Expected(1000, total + i), receive.GetPayload(i).ToArray());
                total += n;
            }

            Assert.Equal(Count, total);
        }

        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task BlockingReceive_WaitingWithoutTimeout_IsWokenByDispose()
    {
        var receiver = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        if (!receiver.SupportsBlockingReceive)
        {
            await receiver.DisposeAsync();
            return;
        }

        var receive = new DatagramBatch(4, 2048, AddressFamily.InterNetwork);
        var blocked = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            try
            {
                started.Set();
                // An infinite wait: only the disposal can end it.
                while (true) receiver.ReceiveBatch(receive, Timeout.Infinite);
            }
            catch (Exception e)
            {
                blocked.TrySetResult(e);
            }
        })
        { IsBackground = true };
        thread.Start();
        started.Wait(TimeSpan.FromSeconds(10));
        await Task.Delay(50);
        await receiver.DisposeAsync();

        Exception? ended = await blocked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.IsType<ObjectDisposedException>(ended);
    }

    /// <summary>
    /// Whether no garbage collection ran since <paramref name="gen0Collections"/> was read. A collection started by
    /// another thread (tests run in parallel) retires this thread's allocation context, and the unused rest of it
    /// (up to a few KiB) then counts as allocated by this thread: such a window measures nothing about the code.
    /// </summary>
    private static bool UndisturbedByCollection(int gen0Collections) => GC.CollectionCount(0) == gen0Collections;

    private static void Fill(Span<byte> destination, int index) => Expected(destination.Length, index).CopyTo(destination);

    private static byte[] Expected(int length, int index)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++) bytes[i] = (byte)((index * 31) + i);
        return bytes;
    }
}
