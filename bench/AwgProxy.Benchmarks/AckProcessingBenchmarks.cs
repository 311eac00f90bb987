using AwgProxy.Quic;
using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Congestion;
using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Recovery;
using BenchmarkDotNet.Attributes;

namespace AwgProxy.Benchmarks;

/// <summary>
/// The sender's side of an ACK (RFC 9002 appendix A.7), the way a connection handles one: per operation 16 packets
/// are recorded as sent with a gap after each (the numbers a sender skips), then an ACK frame with 16 ranges
/// acknowledging all of them is parsed and handed to <see cref="LossDetection.OnAckReceived{TCallbacks}"/>
/// (RTT sample, congestion window growth, loss detection timer). Nothing is declared lost.
/// </summary>
[MemoryDiagnoser]
public class AckProcessingBenchmarks
{
    private const int Ranges = 16;

    private readonly PacketNumberRange[] _ranges = new PacketNumberRange[Ranges];
    private readonly PacketNumberRange[] _decoded = new PacketNumberRange[Ranges];
    private readonly byte[] _frame = new byte[256];
    private LossDetection _loss = null!;
    private ulong _next;
    private Instant _now = Instant.FromMilliseconds(1000);

    [GlobalSetup]
    public void Setup()
    {
        _loss = new LossDetection(isServer: false, new NewReno(1452));
        _loss.OnHandshakeConfirmed(_now);
        _next = 10;
    }

    [Benchmark]
    public int SendAndAcknowledge16Packets()
    {
        for (int i = 0; i < Ranges; i++)
        {
            _loss.OnPacketSent(PacketNumberSpace.ApplicationData, _next, _now, 1350, isAckEliciting: true, isInFlight: true);
            _ranges[Ranges - 1 - i] = new PacketNumberRange(_next, _next);
            _next += 2;
        }

        _now += TimeSpan.FromMicroseconds(500);

        // The peer's ACK frame on the wire, then what the connection does with it.
        var writer = new SpanWriter(_frame);
        new AckFrame(_ranges, ackDelay: 10).Write(ref writer);
        var reader = new SpanReader(_frame.AsSpan(0, writer.Position));
        reader.TryReadVarInt(out ulong type);
        if (!AckFrame.TryParse(ref reader, (FrameType)type, out AckFrame frame)) throw new InvalidOperationException("ACK frame does not parse.");
        int count = 0;
        foreach (PacketNumberRange range in frame) _decoded[count++] = range;

        var callbacks = new NoCallbacks();
        AckOutcome outcome = _loss.OnAckReceived(PacketNumberSpace.ApplicationData, _decoded.AsSpan(0, count), frame.GetAckDelay(3), frame.EcnCounts, _now, ref callbacks);
        return outcome.NewlyAcked;
    }

    private struct NoCallbacks : ILossDetectionCallbacks
    {
        public readonly void OnPacketAcked(PacketNumberSpace space, in SentPacket packet)
        {
        }

        public readonly void OnPacketLost(PacketNumberSpace space, in SentPacket packet)
        {
        }

        public readonly void OnPacketDiscarded(PacketNumberSpace space, in SentPacket packet)
        {
        }
    }
}
