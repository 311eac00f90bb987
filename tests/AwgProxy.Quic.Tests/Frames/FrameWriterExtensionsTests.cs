using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Tests.Frames;

public class FrameWriterExtensionsTests
{
    [Fact]
    public void FramesOverStackallocBytes_WriteIntoAnOuterWriter()
    {
        byte[] buffer = new byte[64];
        var writer = new SpanWriter(buffer);
        WriteFromStack(ref writer);

        var reader = new FrameReader(buffer.AsSpan(0, writer.Position), PacketType.OneRtt, receiverIsServer: false);
        Assert.True(reader.TryReadNext(out Frame ack));
        Assert.Equal(new PacketNumberRange(3, 9), First(ack.Ack));
        Assert.True(reader.TryReadNext(out Frame stream));
        Assert.Equal(new byte[] { 7, 7, 7 }, stream.Stream.Data.ToArray());
        Assert.True(reader.TryReadNext(out Frame datagram));
        Assert.Equal(new byte[] { 7, 7, 7 }, datagram.Datagram.Data.ToArray());
        Assert.False(reader.TryReadNext(out _));
        Assert.Null(reader.Error);
    }

    private static void WriteFromStack(ref SpanWriter writer)
    {
        Span<byte> data = stackalloc byte[3];
        data.Fill(7);
        Span<PacketNumberRange> ranges = stackalloc PacketNumberRange[1];
        ranges[0] = new PacketNumberRange(3, 9);
        new AckFrame(ranges, 0).Write(ref writer);
        new StreamFrame(1, 0, data, fin: false).Write(ref writer);
        new DatagramFrame(data).Write(ref writer);
    }

    private static PacketNumberRange First(AckFrame frame)
    {
        foreach (PacketNumberRange range in frame)
        {
            return range;
        }

        throw new InvalidOperationException("no range");
    }
}
