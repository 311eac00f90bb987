using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Tests.Packets;

public class VersionNegotiationPacketTests
{
    [Fact]
    public void Write_ThenParse_ListsTheVersions()
    {
        byte[] datagram = new byte[100];
        var writer = new SpanWriter(datagram);
        uint[] versions = [QuicVersion.Version1, 0x1a2a3a4a];
        VersionNegotiationPacket.Write(ref writer, [1, 2, 3], [4, 5, 6, 7, 8, 9, 10, 11], versions, unusedBits: 0x15);
        Assert.Equal(VersionNegotiationPacket.GetLength(3, 8, 2), writer.Position);
        Assert.Equal(0x80 | 0x40 | 0x15, datagram[0]);

        Assert.True(PacketHeader.TryParse(datagram.AsSpan(0, writer.Position), 8, out PacketHeader header, out _));
        Assert.Equal(PacketType.VersionNegotiation, header.Type);
        Assert.Equal(QuicVersion.Negotiation, header.Version);
        Assert.Equal(new byte[] { 1, 2, 3 }, header.DestinationConnectionId.ToArray());
        Assert.Equal(8, header.SourceConnectionId.Length);
        Assert.Equal(2, header.SupportedVersionCount);
        Assert.Equal(QuicVersion.Version1, header.GetSupportedVersion(0));
        Assert.Equal(0x1a2a3a4aU, header.GetSupportedVersion(1));
        Assert.True(header.ListsVersion(QuicVersion.Version1));
        Assert.False(header.ListsVersion(2));
    }

    [Fact]
    public void KnownEncoding_WithLongInvariantConnectionIds_Parses()
    {
        // RFC 8999 lets other versions use connection IDs up to 255 bytes; a VN echoes them.
        byte[] datagram = [0x80, 0, 0, 0, 0, 25, .. new byte[25], 0, 0, 0, 0, 1];
        Assert.True(PacketHeader.TryParse(datagram, 8, out PacketHeader header, out _));
        Assert.Equal(25, header.DestinationConnectionId.Length);
        Assert.Equal(1, header.SupportedVersionCount);
    }

    [Theory]
    [InlineData("80 00000000 00 00")]
    [InlineData("80 00000000 00 00 000000")]
    [InlineData("80 00000000 00 00 00000001 ff")]
    public void EmptyOrPartialVersionList_IsRejected(string hex)
    {
        byte[] datagram = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
        Assert.False(PacketHeader.TryParse(datagram, 8, out _, out PacketHeaderError error));
        Assert.Equal(PacketHeaderError.InvalidVersionNegotiation, error);
    }
}
