using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Tests.Packets;

public class PacketHeaderTests
{
    // RFC 9001 appendix A.2: the client Initial's unprotected header, Length 1182, packet number 2.
    private const string ClientInitialHeader = "c300000001088394c8f03e5157080000449e00000002";

    // RFC 9001 appendix A.3: the server's protected Initial.
    private const string ServerInitial =
        "cf000000010008f067a5502a4262b5004075c0d95a482cd0991cd25b0aac406a" +
        "5816b6394100f37a1c69797554780bb38cc5a99f5ede4cf73c3ec2493a1839b3" +
        "dbcba3f6ea46c5b7684df3548e7ddeb9c3bf9c73cc3f3bded74b562bfb19fb84" +
        "022f8ef4cdd93795d77d06edbb7aaf2f58891850abbdca3d20398c276456cbc4" +
        "2158407dd074ee";

    // RFC 9001 appendix A.4.
    private const string Retry = "ff000000010008f067a5502a4262b5746f6b656e04a265ba2eff4d829058fb3f0f2496ba";

    // RFC 9001 appendix A.5: the smallest possible short header packet (21 bytes, empty DCID).
    private const string ChaChaShortHeader = "4cfe4189655e5cd55c41f69080575d7999c25a5bfb";

    internal static byte[] ClientInitialDatagram()
    {
        byte[] datagram = new byte[1200];
        Convert.FromHexString(ClientInitialHeader).CopyTo(datagram, 0);
        return datagram;
    }

    [Fact]
    public void Rfc9001ClientInitial_ParsesHeaderAndPacketNumber()
    {
        byte[] datagram = ClientInitialDatagram();
        Assert.True(PacketHeader.TryParse(datagram, 8, out PacketHeader header, out PacketHeaderError error));
        Assert.Equal(PacketHeaderError.None, error);
        Assert.Equal(PacketType.Initial, header.Type);
        Assert.True(header.IsLongHeader);
        Assert.Equal(QuicVersion.Version1, header.Version);
        Assert.Equal("8394c8f03e515708", Convert.ToHexStringLower(header.DestinationConnectionId));
        Assert.True(header.SourceConnectionId.IsEmpty);
        Assert.True(header.Token.IsEmpty);
        Assert.Equal(1182, header.Length);
        Assert.Equal(18, header.PacketNumberOffset);
        Assert.Equal(1200, header.PacketLength);

        // This header is unprotected, so the packet number can be read directly.
        int pnLength = PacketHeader.GetPacketNumberLength(header.FirstByte);
        Assert.Equal(4, pnLength);
        Assert.True(PacketHeader.ReservedBitsAreZero(header.FirstByte));
        Assert.True(PacketNumber.TryReadTruncated(datagram.AsSpan(header.PacketNumberOffset), pnLength, out uint truncated));
        Assert.Equal(2UL, PacketNumber.Decode(null, truncated, pnLength));
    }

    [Fact]
    public void Rfc9001ServerInitial_ParsesProtectedHeader()
    {
        byte[] datagram = Convert.FromHexString(ServerInitial);
        Assert.True(PacketHeader.TryParse(datagram, 8, out PacketHeader header, out _));
        Assert.Equal(PacketType.Initial, header.Type);
        Assert.True(header.DestinationConnectionId.IsEmpty);
        Assert.Equal("f067a5502a4262b5", Convert.ToHexStringLower(header.SourceConnectionId));
        Assert.Equal(0x75, header.Length);
        Assert.Equal(18, header.PacketNumberOffset);
        Assert.Equal(135, header.PacketLength);
        Assert.Equal(datagram.Length, header.Packet.Length);
    }

    [Fact]
    public void Rfc9001Retry_ParsesTokenAndTag()
    {
        byte[] datagram = Convert.FromHexString(Retry);
        Assert.True(PacketHeader.TryParse(datagram, 8, out PacketHeader header, out _));
        Assert.Equal(PacketType.Retry, header.Type);
        Assert.True(header.DestinationConnectionId.IsEmpty);
        Assert.Equal("f067a5502a4262b5", Convert.ToHexStringLower(header.SourceConnectionId));
        Assert.Equal("token"u8.ToArray(), header.Token.ToArray());
        Assert.Equal("04a265ba2eff4d829058fb3f0f2496ba", Convert.ToHexStringLower(header.RetryIntegrityTag));
        Assert.Equal(datagram.Length, header.PacketLength);
    }

    [Fact]
    public void Rfc9001ChaChaShortHeader_Parses()
    {
        byte[] datagram = Convert.FromHexString(ChaChaShortHeader);
        Assert.True(PacketHeader.TryParse(datagram, 0, out PacketHeader header, out _));
        Assert.Equal(PacketType.OneRtt, header.Type);
        Assert.False(header.IsLongHeader);
        Assert.True(header.DestinationConnectionId.IsEmpty);
        Assert.Equal(1, header.PacketNumberOffset);
        Assert.Equal(20, header.Length);
        Assert.Equal(21, header.PacketLength);

        Assert.False(PacketHeader.TryParse(datagram.AsSpan(0, 20), 0, out _, out PacketHeaderError error));
        Assert.Equal(PacketHeaderError.TooShortForSample, error);
    }

    [Fact]
    public void CoalescedPackets_SplitAtEachPacketLength()
    {
        byte[] serverInitial = Convert.FromHexString(ServerInitial);
        byte[] datagram = new byte[1200];
        var writer = new SpanWriter(datagram);
        writer.WriteBytes(serverInitial);
        HeaderLayout handshake = PacketHeaderWriter.WriteLongHeader(
            ref writer, PacketType.Handshake, QuicVersion.Version1, [], Convert.FromHexString("f067a5502a4262b5"), [], 1, 2);
        writer.Fill(0xab, 100);
        PacketHeaderWriter.PatchLength(datagram, handshake, writer.Position);
        int shortStart = writer.Position;
        PacketHeaderWriter.WriteShortHeader(ref writer, [1, 2, 3, 4, 5, 6, 7, 8], 3, 1, keyPhase: true);
        writer.Fill(0xcd, 60);
        ReadOnlySpan<byte> rest = datagram.AsSpan(0, writer.Position);

        var types = new List<PacketType>();
        var lengths = new List<int>();
        while (!rest.IsEmpty)
        {
            Assert.True(PacketHeader.TryParse(rest, 8, out PacketHeader header, out PacketHeaderError error), error.ToString());
            types.Add(header.Type);
            lengths.Add(header.PacketLength);
            rest = rest[header.PacketLength..];
        }

        Assert.Equal([PacketType.Initial, PacketType.Handshake, PacketType.OneRtt], types);
        Assert.Equal([135, shortStart - 135, writer.Position - shortStart], lengths);
    }

    [Fact]
    public void EveryTruncatedClientInitial_FailsCleanly()
    {
        byte[] datagram = ClientInitialDatagram();
        for (int length = 0; length < datagram.Length; length++)
        {
            Assert.False(PacketHeader.TryParse(datagram.AsSpan(0, length), 8, out _, out PacketHeaderError error));
            Assert.NotEqual(PacketHeaderError.None, error);
            if (length < 22) Assert.True(error is PacketHeaderError.Truncated or PacketHeaderError.LengthBeyondDatagram, $"{length}: {error}");
        }
    }

    [Fact]
    public void EveryTruncatedRetryHeader_FailsCleanly()
    {
        byte[] datagram = Convert.FromHexString(Retry);

        // Up to the SCID the header is cut; after it, anything up to the 16-byte tag plus one token byte is too short.
        for (int length = 0; length <= 15 + PacketHeader.RetryIntegrityTagLength; length++)
        {
            Assert.False(PacketHeader.TryParse(datagram.AsSpan(0, length), 8, out _, out PacketHeaderError error));
            Assert.True(error is PacketHeaderError.Truncated or PacketHeaderError.InvalidRetry, $"{length}: {error}");
        }
    }

    [Fact]
    public void FixedBitZero_IsRejected()
    {
        byte[] datagram = ClientInitialDatagram();
        datagram[0] &= 0xbf;
        Assert.False(PacketHeader.TryParse(datagram, 8, out _, out PacketHeaderError error));
        Assert.Equal(PacketHeaderError.FixedBitZero, error);

        byte[] shortHeader = Convert.FromHexString(ChaChaShortHeader);
        shortHeader[0] &= 0xbf;
        Assert.False(PacketHeader.TryParse(shortHeader, 0, out _, out error));
        Assert.Equal(PacketHeaderError.FixedBitZero, error);
    }

    [Fact]
    public void ConnectionIdLongerThan20_IsRejected()
    {
        byte[] datagram = new byte[1200];
        var writer = new SpanWriter(datagram);
        writer.WriteByte(0xc0);
        writer.WriteUInt32(QuicVersion.Version1);
        writer.WriteByte(21);
        writer.Fill(1, 21);
        writer.WriteByte(0);
        Assert.False(PacketHeader.TryParse(datagram, 8, out _, out PacketHeaderError error));
        Assert.Equal(PacketHeaderError.ConnectionIdTooLong, error);
    }

    [Fact]
    public void UnsupportedVersion_StillExposesVersionAndConnectionIds()
    {
        byte[] datagram = new byte[1200];
        var writer = new SpanWriter(datagram);
        writer.WriteByte(0x80); // RFC 8999: only the form bit is fixed
        writer.WriteUInt32(0x1a2a3a4a);
        writer.WriteByte(30);
        writer.Fill(0x11, 30);
        writer.WriteByte(5);
        writer.Fill(0x22, 5);
        Assert.False(PacketHeader.TryParse(datagram, 8, out PacketHeader header, out PacketHeaderError error));
        Assert.Equal(PacketHeaderError.UnsupportedVersion, error);
        Assert.Equal(0x1a2a3a4aU, header.Version);
        Assert.Equal(30, header.DestinationConnectionId.Length);
        Assert.Equal(5, header.SourceConnectionId.Length);
    }

    [Fact]
    public void LengthBeyondDatagram_IsRejected()
    {
        byte[] datagram = ClientInitialDatagram();
        Assert.False(PacketHeader.TryParse(datagram.AsSpan(0, 1199), 8, out _, out PacketHeaderError error));
        Assert.Equal(PacketHeaderError.LengthBeyondDatagram, error);
    }

    [Fact]
    public void LengthTooShortForSample_IsRejected()
    {
        byte[] datagram = new byte[100];
        var writer = new SpanWriter(datagram);
        HeaderLayout layout = PacketHeaderWriter.WriteLongHeader(ref writer, PacketType.Handshake, QuicVersion.Version1, [1], [2], [], 0, 1);
        PacketHeaderWriter.PatchLength(datagram, layout.LengthOffset, 19);
        Assert.False(PacketHeader.TryParse(datagram, 8, out _, out PacketHeaderError error));
        Assert.Equal(PacketHeaderError.TooShortForSample, error);
        PacketHeaderWriter.PatchLength(datagram, layout.LengthOffset, 20);
        Assert.True(PacketHeader.TryParse(datagram, 8, out PacketHeader header, out _));
        Assert.Equal(layout.PayloadOffset - 1 + 20, header.PacketLength);
    }

    [Fact]
    public void RetryWithEmptyToken_IsRejected()
    {
        byte[] retry = Convert.FromHexString(Retry);
        byte[] noToken = [.. retry[..15], .. retry[^16..]];
        Assert.False(PacketHeader.TryParse(noToken, 8, out _, out PacketHeaderError error));
        Assert.Equal(PacketHeaderError.InvalidRetry, error);
    }

    [Fact]
    public void MutationFuzz_NeverThrows_AndSuccessesAreConsistent()
    {
        byte[] coalesced = new byte[400];
        var writer = new SpanWriter(coalesced);
        writer.WriteBytes(Convert.FromHexString(ServerInitial));
        HeaderLayout layout = PacketHeaderWriter.WriteLongHeader(ref writer, PacketType.Handshake, QuicVersion.Version1, [9], [8, 7], [], 5, 2);
        writer.Fill(1, 40);
        PacketHeaderWriter.PatchLength(coalesced, layout, writer.Position);
        byte[] vn = new byte[64];
        var vnWriter = new SpanWriter(vn);
        VersionNegotiationPacket.Write(ref vnWriter, [1, 2, 3], [4, 5], [QuicVersion.Version1, 0x0a1a2a3a]);
        byte[][] corpus =
        [
            ClientInitialDatagram()[..300], coalesced[..writer.Position], Convert.FromHexString(Retry),
            Convert.FromHexString(ChaChaShortHeader), vn[..vnWriter.Position],
        ];

        var random = new Random(17);
        int successes = 0;
        for (int iteration = 0; iteration < 20_000; iteration++)
        {
            byte[] datagram = corpus[random.Next(corpus.Length)].ToArray();
            int mutations = random.Next(1, 4);
            for (int i = 0; i < mutations; i++)
            {
                datagram[random.Next(datagram.Length)] = random.Next(2) == 0 ? (byte)random.Next(256) : (byte)(datagram[random.Next(datagram.Length)] ^ 0x80);
            }

            int length = random.Next(3) == 0 ? random.Next(datagram.Length + 1) : datagram.Length;
            ReadOnlySpan<byte> rest = datagram.AsSpan(0, length);
            while (PacketHeader.TryParse(rest, random.Next(21), out PacketHeader header, out PacketHeaderError error))
            {
                successes++;
                Assert.Equal(PacketHeaderError.None, error);
                Assert.InRange(header.PacketLength, 1, rest.Length);
                Assert.Equal(header.PacketLength, header.Packet.Length);
                if (header.Type.HasPacketNumber())
                {
                    Assert.True(header.PacketNumberOffset + 20 <= header.PacketLength);
                    Assert.True(header.DestinationConnectionId.Length <= ConnectionId.MaxLength);
                }

                rest = rest[header.PacketLength..];
                if (rest.IsEmpty) break;
            }
        }

        Assert.True(successes > 1000, $"successes {successes}");
    }
}
