using AwgProxy.Quic.Crypto;
using BenchmarkDotNet.Attributes;

namespace AwgProxy.Benchmarks;

/// <summary>
/// The whole per-packet path through two connected <see cref="Quic.Connections.Connection"/>s in memory, per
/// 1-RTT packet carrying STREAM data: the client's stream write and poll (packet build, frame writing, sent-packet
/// bookkeeping, protect), the server endpoint's routing, unprotect, frame parse and stream reassembly and the read
/// that drains it, and, every <see cref="Batch"/> packets, the server's ACK packet built, sent and processed by the
/// client (ACK processing, congestion window growth, acknowledged stream data freed).
/// </summary>
[MemoryDiagnoser]
public class ConnectionBenchmarks
{
    /// <summary>Packets between ACK exchanges (the default ACK frequency acknowledges every other packet; this stays below the window).</summary>
    public const int Batch = 16;

    private readonly byte[] _data = new byte[Batch * 1200];
    private readonly byte[][] _datagrams = Enumerable.Range(0, Batch).Select(_ => new byte[1500]).ToArray();
    private readonly int[] _lengths = new int[Batch];
    private ConnectedPair _pair = null!;

    [Params(CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256)]
    public CipherSuite Suite { get; set; }

    [GlobalSetup]
    public void Setup() => _pair = new ConnectedPair(Suite);

    [GlobalCleanup]
    public void Cleanup() => _pair.Dispose();

    /// <summary>Per packet: build and protect on the client, unprotect, parse and read on the server, ACKs amortized.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int StreamPacketRoundTrip()
    {
        ConnectedPair pair = _pair;
        pair.Client.StreamWrite(pair.StreamId, _data);
        int sent = 0;
        while (sent < Batch && (_lengths[sent] = pair.SendPacket(_datagrams[sent])) > 0) sent++;
        for (int i = 0; i < sent; i++) pair.DeliverToServer(_datagrams[i].AsSpan(0, _lengths[i]));
        pair.Advance(TimeSpan.FromMicroseconds(200));
        pair.ExchangeAcks();
        pair.Advance(TimeSpan.FromMicroseconds(200));
        return sent;
    }
}
