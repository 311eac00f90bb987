using System.Buffers.Binary;
using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Packets;
using AwgProxy.Quic.Streams;
using AwgProxy.Quic.Tests.Simulation;
using Xunit.Abstractions;

namespace AwgProxy.Quic.Tests.Connections;

/// <summary>
/// Each per-packet hot path on its own allocates exactly nothing once warm (the behaviour the BenchmarkDotNet
/// project in bench/AwgProxy.Benchmarks shows with its memory diagnoser): measured with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> around many iterations after a warm-up, so that a regression
/// fails here rather than in a benchmark nobody runs.
/// </summary>
public class HotPathAllocationTests(ITestOutputHelper output)
{
    private const int WarmUp = 2_000;
    private const int Iterations = 10_000;

    public static TheoryData<CipherSuite> Suites => new() { CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256 };

    [Theory]
    [MemberData(nameof(Suites))]
    public void ProtectAndUnprotect_AllocateNothingPerPacket(CipherSuite suite)
    {
        byte[] secret = Enumerable.Range(0, suite.HashLength()).Select(i => (byte)(i * 3)).ToArray();
        using var key = new PacketKey(suite, secret);
        using var headerProtection = new HeaderProtectionKey(suite, secret);
        var packet = new byte[1350];
        ulong pn = 0;
        int failures = 0;

        void Iterate()
        {
            pn++;
            packet[0] = 0x41;
            packet.AsSpan(1, 8).Fill(0xcd);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(9), (ushort)pn);
            PacketProtection.Protect(packet, 9, 2, pn, key, headerProtection);
            if (!PacketProtection.TryRemoveHeaderProtection(packet, 9, headerProtection, out uint truncated, out int pnLength)
                || !PacketProtection.TryDecryptPayload(packet, 9, pnLength, PacketNumber.Decode(pn - 1, truncated, pnLength), key, out _))
            {
                failures++;
            }
        }

        long allocated = Measure(Iterate);
        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void FrameParse_AllocatesNothingPerPacket()
    {
        var payload = new byte[1300];
        Span<PacketNumberRange> ranges = stackalloc PacketNumberRange[8];
        for (int i = 0; i < ranges.Length; i++) ranges[i] = new PacketNumberRange(10_000 - (ulong)(i * 10) - 4, 10_000 - (ulong)(i * 10));
        var writer = new SpanWriter(payload);
        new AckFrame(ranges, ackDelay: 10).Write(ref writer);
        new MaxStreamDataFrame(4, 1 << 24).Write(ref writer);
        new StreamFrame(4, 1 << 20, new byte[writer.Remaining - 16], fin: false, hasLength: false).Write(ref writer);
        int length = writer.Position;
        long frames = 0;
        int errors = 0;

        void Iterate()
        {
            var reader = new FrameReader(payload.AsSpan(0, length), PacketType.OneRtt, receiverIsServer: true);
            while (reader.TryReadNext(out Frame frame))
            {
                frames++;
                if (frame.Type == FrameType.Ack)
                {
                    foreach (PacketNumberRange range in frame.Ack) frames += (long)(range.Largest - range.Smallest);
                }
            }

            if (reader.Error is not null) errors++;
        }

        long allocated = Measure(Iterate);
        Assert.Equal(0, errors);
        Assert.True(frames > Iterations);
        Assert.Equal(0, allocated);
    }

    /// <summary>
    /// A bulk transfer between two connections, with the bytes allocated counted separately for the send half
    /// (client polled for STREAM packets), the receive half (server endpoint routing, unprotecting, parsing and
    /// reading) and the ACK half (server's ACKs built and processed by the client).
    /// </summary>
    /// <remarks>
    /// The same transfer runs twice on this thread and only the second is counted: the run is deterministic (same
    /// packets, the same two losses at the same point), so the first one initialises what is lazily created once per
    /// thread or process on paths the warm-up phase does not reach (the losses come later), such as the calling
    /// thread's <see cref="System.Buffers.ArrayPool{T}"/> cache. Whether another test on this xunit thread did that
    /// already is a matter of scheduling, which made a single run flaky (about 480 B once per run, not per packet).
    /// </remarks>
    [Fact]
    public void SendReceiveAndAckHalves_EachAllocateNothingPerPacket()
    {
        RunBulkTransfer(measure: false);
        RunBulkTransfer(measure: true);
    }

    private void RunBulkTransfer(bool measure)
    {
        using var pair = new Pair(seed: 7);
        pair.DriveHandshake();
        Connection client = pair.Client;
        Connection server = pair.Server;
        Assert.True(client.TryOpenStream(StreamDirection.Bidirectional, out ulong id));
        var data = new byte[16 * 1200];
        var datagrams = Enumerable.Range(0, 32).Select(_ => new byte[1500]).ToArray();
        var lengths = new int[datagrams.Length];
        var buffer = new byte[1500];
        var response = new byte[1500];
        var read = new byte[64 * 1024];
        Instant now = pair.Now;
        long sendBytes = 0, receiveBytes = 0, ackBytes = 0, packets = 0;
        bool measuring = false;

        void Iterate()
        {
            long start = GC.GetAllocatedBytesForCurrentThread();
            client.StreamWrite(id, data);
            int count = 0;
            while (count < datagrams.Length && client.TryPollTransmit(now, datagrams[count], out Transmit transmit)) lengths[count++] = transmit.Length;
            long sent = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < count; i++)
            {
                pair.ServerEndpoint.HandleDatagram(now, pair.ClientAddress, datagrams[i].AsSpan(0, lengths[i]), EcnCodepoint.NotEct, response, out _);
            }

            while (server.TryPollEvent(out _))
            {
            }

            while (server.StreamRead(id, read, out _) > 0)
            {
            }

            long received = GC.GetAllocatedBytesForCurrentThread();
            now += TimeSpan.FromMilliseconds(1);
            if (server.NextTimeout <= now) server.HandleTimeout(now);
            while (server.TryPollTransmit(now, buffer, out Transmit transmit))
            {
                pair.ClientEndpoint.HandleDatagram(now, pair.ServerAddress, buffer.AsSpan(0, transmit.Length), EcnCodepoint.NotEct, response, out _);
            }

            while (client.TryPollEvent(out _))
            {
            }

            if (client.NextTimeout <= now) client.HandleTimeout(now);
            long acked = GC.GetAllocatedBytesForCurrentThread();
            now += TimeSpan.FromMilliseconds(1);
            if (!measuring) return;
            sendBytes += sent - start;
            receiveBytes += received - sent;
            ackBytes += acked - received;
            packets += count;
        }

        // The server learns of the stream on its first packet; the warm-up covers that and window growth.
        for (int i = 0; i < WarmUp; i++) Iterate();
        measuring = true;
        for (int i = 0; i < 2_000; i++) Iterate();
        if (!measure) return;

        output.WriteLine($"{packets} packets: send {sendBytes} B, receive {receiveBytes} B, ACK {ackBytes} B; {client.GetStats()}");
        Assert.Equal(ConnectionState.Connected, client.State);
        Assert.True(packets > 10_000, $"only {packets} packets");
        Assert.Equal(0, sendBytes);
        Assert.Equal(0, receiveBytes);
        Assert.Equal(0, ackBytes);
    }

    private long Measure(Action iterate)
    {
        for (int i = 0; i < WarmUp; i++) iterate();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++) iterate();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{allocated} bytes over {Iterations} iterations");
        return allocated;
    }
}
