using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Tests.Packets;

public class PacketHeaderWriterTests
{
    [Fact]
    public void Rfc9001ClientInitialHeader_IsReproduced()
    {
        byte[] buffer = new byte[64];
        var writer = new SpanWriter(buffer);
        HeaderLayout layout = PacketHeaderWriter.WriteLongHeader(
            ref writer, PacketType.Initial, QuicVersion.Version1, Convert.FromHexString("8394c8f03e515708"), [], [], 2, 4);
        PacketHeaderWriter.PatchLength(buffer, layout.LengthOffset, 1182);
        Assert.Equal("c300000001088394c8f03e5157080000449e00000002", Convert.ToHexStringLower(buffer.AsSpan(0, writer.Position)));
        Assert.Equal(new HeaderLayout(0, 16, 18, 22), layout);
        Assert.Equal(4, layout.PacketNumberLength);
        Assert.Equal(writer.Position, PacketHeaderWriter.GetLongHeaderLength(PacketType.Initial, 8, 0, 0, 4));
    }

    [Theory]
    [InlineData(PacketType.Initial, 0, 1)]
    [InlineData(PacketType.Initial, 100, 2)]
    [InlineData(PacketType.ZeroRtt, 0, 3)]
    [InlineData(PacketType.Handshake, 0, 4)]
    public void LongHeader_RoundTripsThroughTheParser(PacketType type, int tokenLength, int pnLength)
    {
        byte[] datagram = new byte[1300];
        var writer = new SpanWriter(datagram);
        writer.Fill(0xee, 7); // a previous coalesced packet
        byte[] dcid = [1, 2, 3, 4, 5];
        byte[] scid = Enumerable.Repeat((byte)9, 20).ToArray();
        byte[] token = Enumerable.Repeat((byte)0x77, tokenLength).ToArray();
        HeaderLayout layout = PacketHeaderWriter.WriteLongHeader(ref writer, type, QuicVersion.Version1, dcid, scid, token, 0x1234_5678, pnLength);
        Assert.Equal(7, layout.HeaderOffset);
        Assert.Equal(layout.PayloadOffset - layout.HeaderOffset, PacketHeaderWriter.GetLongHeaderLength(type, dcid.Length, scid.Length, tokenLength, pnLength));
        writer.Fill(0x55, 500);
        PacketHeaderWriter.PatchLength(datagram, layout, writer.Position);

        ReadOnlySpan<byte> packet = datagram.AsSpan(7, writer.Position - 7);
        Assert.True(PacketHeader.TryParse(packet, 0, out PacketHeader header, out PacketHeaderError error), error.ToString());
        Assert.Equal(type, header.Type);
        Assert.Equal(dcid, header.DestinationConnectionId.ToArray());
        Assert.Equal(scid, header.SourceConnectionId.ToArray());
        Assert.Equal(token, header.Token.ToArray());
        Assert.Equal(layout.PacketNumberOffset - 7, header.PacketNumberOffset);
        Assert.Equal(packet.Length, header.PacketLength);
        Assert.Equal(pnLength, PacketHeader.GetPacketNumberLength(header.FirstByte));
        Assert.True(PacketHeader.ReservedBitsAreZero(header.FirstByte));
        Assert.True(PacketNumber.TryReadTruncated(packet[header.PacketNumberOffset..], pnLength, out uint truncated));
        Assert.Equal(PacketNumber.Truncate(0x1234_5678, pnLength), truncated);
    }

    [Theory]
    [InlineData(false, false, 1)]
    [InlineData(true, false, 2)]
    [InlineData(false, true, 4)]
    public void ShortHeader_RoundTripsThroughTheParser(bool keyPhase, bool spin, int pnLength)
    {
        byte[] datagram = new byte[100];
        var writer = new SpanWriter(datagram);
        byte[] dcid = [0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 0x1, 0x2];
        HeaderLayout layout = PacketHeaderWriter.WriteShortHeader(ref writer, dcid, 77, pnLength, keyPhase, spin);
        Assert.Equal(-1, layout.LengthOffset);
        Assert.Equal(PacketHeaderWriter.GetShortHeaderLength(8, pnLength), writer.Position);
        writer.Fill(0, 30);
        Assert.True(PacketHeader.TryParse(datagram.AsSpan(0, writer.Position), 8, out PacketHeader header, out _));
        Assert.Equal(PacketType.OneRtt, header.Type);
        Assert.Equal(dcid, header.DestinationConnectionId.ToArray());
        Assert.Equal(9, header.PacketNumberOffset);
        Assert.Equal(keyPhase, PacketHeader.GetKeyPhase(header.FirstByte));
        Assert.Equal(spin, (header.FirstByte & 0x20) != 0);
        Assert.Equal(pnLength, PacketHeader.GetPacketNumberLength(header.FirstByte));
        Assert.True(PacketHeader.ReservedBitsAreZero(header.FirstByte));
    }

    [Fact]
    public void InvalidArguments_Throw()
    {
        byte[] buffer = new byte[100];
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            var writer = new SpanWriter(buffer);
            PacketHeaderWriter.WriteLongHeader(ref writer, PacketType.Retry, 1, [], [], [], 0, 1);
        });
        Assert.Throws<ArgumentException>(() =>
        {
            var writer = new SpanWriter(buffer);
            PacketHeaderWriter.WriteLongHeader(ref writer, PacketType.Handshake, 1, [], [], [1], 0, 1);
        });
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            var writer = new SpanWriter(buffer);
            PacketHeaderWriter.WriteShortHeader(ref writer, [], 0, 5, keyPhase: false);
        });
        Assert.Throws<ArgumentOutOfRangeException>(() => PacketHeaderWriter.PatchLength(buffer, 0, 16384));
    }
}
