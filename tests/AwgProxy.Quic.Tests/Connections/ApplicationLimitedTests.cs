using AwgProxy.Quic.Congestion;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Streams;
using AwgProxy.Quic.Tests.Simulation;
using Xunit.Abstractions;

namespace AwgProxy.Quic.Tests.Connections;

/// <summary>RFC 9002 section 7.8: the congestion window grows only while it limits the sender.</summary>
public class ApplicationLimitedTests(ITestOutputHelper output)
{
    [Fact]
    public void TrickleSender_WindowDoesNotGrowPastWhatItUses()
    {
        using var pair = new Pair(seed: 21);
        pair.DriveHandshake();
        long initial = pair.Client.GetStats().CongestionWindow;
        Assert.True(pair.Client.TryOpenStream(StreamDirection.Unidirectional, out ulong id));
        var chunk = new byte[1000];
        long sent = 0;
        var reader = new byte[4096];

        // 2 MB in 1000-byte writes every 5 ms of virtual time: acknowledged many times over, never window-limited.
        for (int i = 0; i < 2000; i++)
        {
            sent += pair.Client.StreamWrite(id, chunk);
            pair.RunFor(TimeSpan.FromMilliseconds(5));
            while (pair.ServerEvents.Any(e => e.Kind == ConnectionEventKind.StreamOpened) && pair.Server.StreamRead(id, reader, out _) > 0)
            {
            }
        }

        ConnectionStats stats = pair.Client.GetStats();
        output.WriteLine($"initial window {initial}, after {sent} bytes: {stats.CongestionWindow}");
        Assert.Equal(2_000_000, sent);
        Assert.True(stats.CongestionWindow <= 2 * initial, $"window {stats.CongestionWindow} grew while application-limited (initial {initial})");
    }

    [Fact]
    public void BulkSender_WindowGrowsInSlowStart()
    {
        using var pair = new Pair(seed: 22);
        pair.DriveHandshake();
        long initial = pair.Client.GetStats().CongestionWindow;
        var transfers = new TransferSet(pair);
        StreamTransfer transfer = transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(4 << 20, 3));

        transfers.DriveToCompletion(TimeSpan.FromSeconds(30));

        transfer.AssertIntact();
        long window = pair.Client.GetStats().CongestionWindow;
        output.WriteLine($"initial window {initial}, after 4 MiB: {window}");
        Assert.True(window >= 8 * initial, $"window {window} did not grow from {initial} while the sender was window-limited");
    }

    [Fact]
    public void NewReno_ApplicationLimitedAcknowledgments_LeaveWindowAsIs()
    {
        var controller = new NewReno(1452);
        long before = controller.CongestionWindow;
        var rtt = new Quic.Recovery.RttEstimator();
        for (int i = 0; i < 100; i++)
        {
            controller.OnPacketAcked(new AckedPacket(Instant.FromMilliseconds(100 + i), Instant.FromMilliseconds(50 + i), 1452, IsApplicationLimited: true, rtt));
        }

        Assert.Equal(before, controller.CongestionWindow);
    }
}
