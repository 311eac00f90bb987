using AwgProxy.Quic;
using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Packets;
using BenchmarkDotNet.Attributes;

namespace AwgProxy.Benchmarks;

/// <summary>
/// Reading the frames of a decrypted 1-RTT payload with <see cref="FrameReader"/>: a bulk-data packet (ACK with a
/// few ranges, MAX_STREAM_DATA, one STREAM frame filling the rest) and an ACK-only packet (ACK with 16 ranges).
/// </summary>
[MemoryDiagnoser]
public class FrameParseBenchmarks
{
    private readonly byte[] _dataPayload = new byte[1300];
    private readonly byte[] _ackPayload = new byte[256];
    private int _dataLength;
    private int _ackLength;

    [GlobalSetup]
    public void Setup()
    {
        Span<PacketNumberRange> ranges = stackalloc PacketNumberRange[16];
        for (int i = 0; i < ranges.Length; i++)
        {
            ulong largest = 100_000 - (ulong)(i * 10);
            ranges[i] = new PacketNumberRange(largest - 5, largest);
        }

        var writer = new SpanWriter(_dataPayload);
        new AckFrame(ranges[..3], ackDelay: 100).Write(ref writer);
        new MaxStreamDataFrame(4, 8_000_000).Write(ref writer);
        byte[] data = new byte[writer.Remaining - 16];
        new StreamFrame(4, 5_000_000, data, fin: false, hasLength: false).Write(ref writer);
        _dataLength = writer.Position;

        var ackWriter = new SpanWriter(_ackPayload);
        new AckFrame(ranges, ackDelay: 100).Write(ref ackWriter);
        _ackLength = ackWriter.Position;
    }

    [Benchmark]
    public long ParseDataPacket() => Parse(_dataPayload.AsSpan(0, _dataLength));

    [Benchmark]
    public long ParseAckPacket() => Parse(_ackPayload.AsSpan(0, _ackLength));

    /// <summary>Reads every frame and touches what a connection would read of it.</summary>
    private static long Parse(ReadOnlySpan<byte> payload)
    {
        var reader = new FrameReader(payload, PacketType.OneRtt, receiverIsServer: true);
        long sum = 0;
        while (reader.TryReadNext(out Frame frame))
        {
            switch (frame.Type)
            {
                case FrameType.Ack:
                case FrameType.AckEcn:
                    foreach (PacketNumberRange range in frame.Ack) sum += (long)range.Smallest;
                    break;
                case FrameType.Stream:
                    sum += frame.Stream.Data.Length + (long)frame.Stream.Offset;
                    break;
                case FrameType.MaxStreamData:
                    sum += (long)frame.MaxStreamData.MaximumStreamData;
                    break;
            }
        }

        if (reader.Error is not null) throw new InvalidOperationException($"The benchmark payload does not parse: {reader.Error}");
        return sum;
    }
}
