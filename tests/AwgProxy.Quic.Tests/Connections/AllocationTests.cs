using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Streams;
using AwgProxy.Quic.Tests.Simulation;
using Xunit.Abstractions;

namespace AwgProxy.Quic.Tests.Connections;

/// <summary>The per-packet path through endpoint and connection (send, protect, route, decrypt, frames, ACKs, loss detection) allocates nothing once warm.</summary>
public class AllocationTests(ITestOutputHelper output)
{
    [Fact]
    public void BulkTransfer_SteadyState_AllocatesNothingPerPacket()
    {
        using var pair = new Pair(seed: 99);
        pair.DriveHandshake();
        Connection client = pair.Client;
        Connection server = pair.Server;
        Assert.True(client.TryOpenStream(StreamDirection.Bidirectional, out ulong id));
        var data = new byte[16 * 1024];
        var buffer = new byte[1500];
        var response = new byte[1500];
        var read = new byte[64 * 1024];
        Instant now = pair.Now;
        bool serverKnowsStream = false;
        int failures = 0;

        void Iterate()
        {
            client.StreamWrite(id, data);
            while (client.TryPollTransmit(now, buffer, out Transmit transmit))
            {
                pair.ServerEndpoint.HandleDatagram(now, pair.ClientAddress, buffer.AsSpan(0, transmit.Length), EcnCodepoint.NotEct, response, out _);
            }

            now += TimeSpan.FromMilliseconds(1);
            while (server.TryPollEvent(out ConnectionEvent e)) serverKnowsStream |= e.Kind == ConnectionEventKind.StreamOpened;
            if (serverKnowsStream)
            {
                while (server.StreamRead(id, read, out _) > 0)
                {
                }
            }

            while (server.TryPollTransmit(now, buffer, out Transmit transmit))
            {
                pair.ClientEndpoint.HandleDatagram(now, pair.ServerAddress, buffer.AsSpan(0, transmit.Length), EcnCodepoint.NotEct, response, out _);
            }

            while (client.TryPollEvent(out _))
            {
            }

            if (client.NextTimeout <= now) client.HandleTimeout(now);
            if (server.NextTimeout <= now) server.HandleTimeout(now);
            now += TimeSpan.FromMilliseconds(1);
            if (client.State != ConnectionState.Connected) failures++;
        }

        for (int i = 0; i < 2000; i++) Iterate();
        long packetsBefore = client.GetStats().PacketsSent + server.GetStats().PacketsSent;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++) Iterate();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long packets = client.GetStats().PacketsSent + server.GetStats().PacketsSent - packetsBefore;

        output.WriteLine($"{allocated} bytes allocated for {packets} packets; {client.GetStats()}");
        Assert.Equal(0, failures);
        Assert.True(packets > 10_000, $"only {packets} packets");
        Assert.True(allocated < 16 * 1024, $"{allocated} bytes allocated for {packets} packets");
    }
}
