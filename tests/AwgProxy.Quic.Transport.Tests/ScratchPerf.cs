using System.Diagnostics;
using System.Net;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Streams;
using AwgProxy.Quic.Transport.Tests.Support;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Certificates;
using Xunit.Abstractions;

namespace AwgProxy.Quic.Transport.Tests;

public class ScratchPerf(ITestOutputHelper output)
{
    [Fact]
    public void CoreOnly_100MiB()
    {
        var server = new ServerConnectionOptions { Tls = new TlsServerOptions { ApplicationProtocols = [TestPeers.Alpn], ServerCredential = TestPeers.ServerCredential } };
        var client = new ClientConnectionOptions { Tls = new TlsClientOptions { ApplicationProtocols = [TestPeers.Alpn], ServerCertificatePolicy = TlsServerCertificatePolicy.PinnedPublicKeys([TestPeers.ServerKey.PublicKey]) } };
        var se = new Endpoint(new EndpointOptions { Server = server });
        var ce = new Endpoint(new EndpointOptions());
        var sa = new IPEndPoint(IPAddress.Loopback, 1).Serialize();
        var ca = new IPEndPoint(IPAddress.Loopback, 2).Serialize();
        var clock = Stopwatch.StartNew();
        Instant Now() => new(clock.Elapsed.Ticks + TimeSpan.TicksPerSecond);
        Connection c = ce.Connect(Now(), client, sa);
        Connection? s = null;
        var buf = new byte[1500];
        var resp = new byte[1500];
        var toServer = new Queue<byte[]>();
        var toClient = new Queue<byte[]>();
        void Flush()
        {
            while (c.TryPollTransmit(Now(), buf, out Transmit t)) toServer.Enqueue(buf[..t.Length]);
            if (s is not null) while (s.TryPollTransmit(Now(), buf, out Transmit t)) toClient.Enqueue(buf[..t.Length]);
            while (c.TryPollEvent(out _)) { }
            if (s is not null) while (s.TryPollEvent(out _)) { }
        }
        void Deliver()
        {
            while (toServer.TryDequeue(out byte[]? d)) { var r = se.HandleDatagram(Now(), ca, d, EcnCodepoint.NotEct, resp, out _); if (r.Kind == EndpointReceiveKind.NewConnection) s = r.Connection; }
            while (toClient.TryDequeue(out byte[]? d)) ce.HandleDatagram(Now(), sa, d, EcnCodepoint.NotEct, resp, out _);
        }
        for (int i = 0; i < 100 && !(c.State == ConnectionState.Connected && s?.State == ConnectionState.Connected); i++) { Flush(); Deliver(); Flush(); }
        Assert.True(c.TryOpenStream(StreamDirection.Bidirectional, out ulong id));
        var chunk = new byte[65536];
        var rbuf = new byte[65536];
        long total = 100 << 20, written = 0, read = 0;
        var sw = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        int rounds = 0;
        while (read < total && rounds++ < 10_000_000)
        {
            if (written < total) written += c.StreamWrite(id, chunk.AsSpan(0, (int)Math.Min(chunk.Length, total - written)));
            Flush(); Deliver();
            while (true) { int n = s!.StreamRead(id, rbuf, out _); if (n == 0) break; read += n; }
            Flush(); Deliver();
            if (c.NextTimeout <= Now()) c.HandleTimeout(Now());
            if (s.NextTimeout <= Now()) s.HandleTimeout(Now());
        }
        output.WriteLine($"core-only: {read} bytes in {sw.Elapsed.TotalSeconds:0.00}s = {read / 1048576.0 / sw.Elapsed.TotalSeconds:0.0} MiB/s, cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.00}s, rounds {rounds}, lost {c.GetStats().PacketsLost}");
    }

    [Fact]
    public async Task Driver_InMemory_100MiB()
    {
        var network = new AwgProxy.Quic.Transport.Paths.InMemoryDatagramNetwork(queueCapacity: 100000);
        await using ConnectedPair pair = await ConnectedPair.InMemoryAsync(network);
        await Measure(pair, "in-memory");
    }

    [Fact]
    public async Task Driver_Udp_100MiB()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();
        await Measure(pair, "udp");
    }

    private async Task Measure(ConnectedPair pair, string what)
    {
        long total = 100 << 20;
        var sw = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        Task<long> reading = Task.Run(async () =>
        {
            await using QuicStream s = await pair.Server.AcceptInboundStreamAsync();
            var b = new byte[65536]; long n = 0;
            while (true) { int r = await s.ReadAsync(b); if (r == 0) return n; n += r; }
        });
        await using QuicStream c = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        var chunk = new byte[65536];
        for (long w = 0; w < total; w += chunk.Length) await c.WriteAsync(chunk);
        c.CompleteWrites();
        long read = await reading;
        output.WriteLine($"{what}: {read} bytes in {sw.Elapsed.TotalSeconds:0.00}s = {read / 1048576.0 / sw.Elapsed.TotalSeconds:0.0} MiB/s, cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.00}s lost {pair.Client.GetStats().PacketsLost} srtt {pair.Client.GetStats().SmoothedRtt.TotalMilliseconds}ms cwnd {pair.Client.GetStats().CongestionWindow}");
    }
}
