using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Tests.Frames;

public class FrameReaderTests
{
    private const string Token16 = "00112233445566778899aabbccddeeff";

    /// <summary>A valid encoding of every frame type.</summary>
    public static readonly TheoryData<string> Samples = new(
        "00", "01", "02 00 00 00 00", "03 00 00 00 00 00 00 00", "04 00 00 00", "05 00 00", "06 00 01 aa", "07 01 aa",
        "08 00 aa", "09 00 aa", "0a 00 01 aa", "0b 00 01 aa", "0c 00 01 aa", "0d 00 01 aa", "0e 00 01 01 aa", "0f 00 01 01 aa",
        "10 00", "11 00 00", "12 00", "13 00", "14 00", "15 00 00", "16 00", "17 00",
        "18 01 00 01 aa" + Token16, "19 00", "1a 0102030405060708", "1b 0102030405060708",
        "1c 00 00 00", "1d 00 00", "1e", "30 aa", "31 01 aa");

    /// <summary>RFC 9000 Table 3 (and RFC 9221 for DATAGRAM), written out independently of <see cref="FrameRules"/>.</summary>
    private static bool ExpectedAllowed(ulong type, PacketType packetType) => packetType switch
    {
        PacketType.Initial or PacketType.Handshake => type is 0x00 or 0x01 or 0x02 or 0x03 or 0x06 or 0x1c,
        PacketType.ZeroRtt => type is not (0x02 or 0x03 or 0x06 or 0x07 or 0x1b or 0x1e),
        _ => true,
    };

    public static IEnumerable<object[]> SamplesByPacketType()
    {
        foreach (PacketType packetType in new[] { PacketType.Initial, PacketType.ZeroRtt, PacketType.Handshake, PacketType.OneRtt })
        {
            foreach (string sample in Samples)
            {
                yield return [sample, packetType];
            }
        }
    }

    [Theory]
    [MemberData(nameof(SamplesByPacketType))]
    public void EachFrameType_IsAcceptedOrRejectedPerTable3(string hex, PacketType packetType)
    {
        byte[] payload = FrameAssert.Hex(hex);
        ulong type = payload[0];
        var reader = new FrameReader(payload, packetType, receiverIsServer: false);
        bool read = reader.TryReadNext(out Frame frame);
        if (!ExpectedAllowed(type, packetType))
        {
            Assert.False(read);
            Assert.Equal(new FrameError(TransportErrorCode.PROTOCOL_VIOLATION, type, "Frame type not allowed in this packet type"), reader.Error);
            return;
        }

        if (type == 0x00)
        {
            Assert.False(read); // PADDING is skipped, not returned
        }
        else
        {
            Assert.True(read, reader.Error?.Reason);
            Assert.Equal((FrameType)type, frame.WireType);
            Assert.Equal(payload, frame.Encoding.ToArray());
            Assert.False(reader.TryReadNext(out _));
        }

        Assert.Null(reader.Error);
        Assert.Equal(payload.Length, reader.Position);
    }

    [Theory]
    [InlineData("07 01 aa")]
    [InlineData("1e")]
    public void ServerReceivingServerOnlyFrame_IsProtocolViolation(string hex)
    {
        byte[] payload = FrameAssert.Hex(hex);
        var server = new FrameReader(payload, PacketType.OneRtt, receiverIsServer: true);
        Assert.False(server.TryReadNext(out _));
        Assert.Equal(TransportErrorCode.PROTOCOL_VIOLATION, server.Error?.Code);
        Assert.Equal(payload[0], server.Error?.FrameType);

        var client = new FrameReader(payload, PacketType.OneRtt, receiverIsServer: false);
        Assert.True(client.TryReadNext(out _));
    }

    [Theory]
    [InlineData("1f", 0x1fUL)]
    [InlineData("2f", 0x2fUL)]
    [InlineData("3f", 0x3fUL)]
    [InlineData("4100", 0x100UL)]
    [InlineData("80 00 ab cd", 0xabcdUL)]
    public void UnknownFrameType_IsFrameEncodingError(string hex, ulong type)
    {
        var reader = new FrameReader(FrameAssert.Hex(hex), PacketType.OneRtt, receiverIsServer: false);
        Assert.False(reader.TryReadNext(out _));
        Assert.Equal(new FrameError(TransportErrorCode.FRAME_ENCODING_ERROR, type, "Unknown frame type"), reader.Error);
    }

    [Theory]
    [InlineData("4001")]
    [InlineData("80000006 00 01 aa")]
    [InlineData("c000000000000010 00")]
    public void NonMinimalFrameTypeEncoding_IsProtocolViolation(string hex)
    {
        var reader = new FrameReader(FrameAssert.Hex(hex), PacketType.OneRtt, receiverIsServer: false);
        Assert.False(reader.TryReadNext(out _));
        Assert.Equal(TransportErrorCode.PROTOCOL_VIOLATION, reader.Error?.Code);
        Assert.Equal("Frame type not minimally encoded", reader.Error?.Reason);
    }

    [Fact]
    public void EmptyPayload_IsProtocolViolation()
    {
        var reader = new FrameReader([], PacketType.Handshake, receiverIsServer: false);
        Assert.False(reader.TryReadNext(out _));
        Assert.Equal(new FrameError(TransportErrorCode.PROTOCOL_VIOLATION, 0, "Packet contains no frames"), reader.Error);
    }

    [Fact]
    public void TruncatedFrameType_IsFrameEncodingError()
    {
        var reader = new FrameReader([0x01, 0x40], PacketType.OneRtt, receiverIsServer: false);
        Assert.True(reader.TryReadNext(out _));
        Assert.False(reader.TryReadNext(out _));
        Assert.Equal(TransportErrorCode.FRAME_ENCODING_ERROR, reader.Error?.Code);
    }

    [Fact]
    public void PaddingOnly_ReadsNothing_NotAckEliciting_ProbingOnly()
    {
        var reader = new FrameReader(new byte[1200], PacketType.Initial, receiverIsServer: true);
        Assert.False(reader.TryReadNext(out _));
        Assert.Null(reader.Error);
        Assert.Equal(1200, reader.Position);
        Assert.False(reader.IsAckEliciting);
        Assert.True(reader.IsProbingOnly);
    }

    [Fact]
    public void MalformedFrame_IsFrameEncodingErrorWithItsType()
    {
        var reader = new FrameReader(FrameAssert.Hex("01 11 00"), PacketType.OneRtt, receiverIsServer: false);
        Assert.True(reader.TryReadNext(out Frame ping));
        Assert.Equal(FrameType.Ping, ping.Type);
        Assert.False(reader.TryReadNext(out _));
        Assert.Equal(new FrameError(TransportErrorCode.FRAME_ENCODING_ERROR, 0x11, "Malformed MAX_STREAM_DATA frame"), reader.Error);
        Assert.False(reader.TryReadNext(out _)); // nothing more after an error
    }

    [Fact]
    public void Rfc9001ServerInitialPayload_ReadsAckThenCrypto()
    {
        byte[] payload = FrameAssert.Hex(
            "02000000000600405a020000560303ee fce7f7b37ba1d1632e96677825ddf739" +
            "88cfc79825df566dc5430b9a045a1200 130100002e00330024001d00209d3c94" +
            "0d89690b84d08a60993c144eca684d10 81287c834d5311bcf32bb9da1a002b00" +
            "020304");
        var reader = new FrameReader(payload, PacketType.Initial, receiverIsServer: false);
        Assert.True(reader.TryReadNext(out Frame ack));
        Assert.Equal(FrameType.Ack, ack.Type);
        Assert.Equal(0UL, ack.Ack.LargestAcknowledged);
        Assert.False(reader.IsAckEliciting);
        Assert.True(reader.TryReadNext(out Frame crypto));
        Assert.Equal(FrameType.Crypto, crypto.Type);
        Assert.Equal(0UL, crypto.Crypto.Offset);
        Assert.Equal(90, crypto.Crypto.Data.Length);
        Assert.Equal(0x02, crypto.Crypto.Data[0]); // ServerHello
        Assert.False(reader.TryReadNext(out _));
        Assert.Null(reader.Error);
        Assert.True(reader.IsAckEliciting);
        Assert.False(reader.IsProbingOnly);
    }

    [Fact]
    public void Rfc9001ClientInitialPayload_ReadsCryptoAndSkipsPadding()
    {
        byte[] crypto = FrameAssert.Hex(
            "060040f1010000ed0303ebf8fa56f129 39b9584a3896472ec40bb863cfd3e868" +
            "04fe3a47f06a2b69484c000004130113 02010000c000000010000e00000b6578" +
            "616d706c652e636f6dff01000100000a 00080006001d00170018001000070005" +
            "04616c706e0005000501000000000033 00260024001d00209370b2c9caa47fba" +
            "baf4559fedba753de171fa71f50f1ce1 5d43e994ec74d748002b000302030400" +
            "0d0010000e0403050306030203080408 050806002d00020101001c0002400100" +
            "3900320408ffffffffffffffff050480 00ffff07048000ffff08011001048000" +
            "75300901100f088394c8f03e51570806 048000ffff");
        byte[] payload = new byte[1162];
        crypto.CopyTo(payload, 0);
        var reader = new FrameReader(payload, PacketType.Initial, receiverIsServer: true);
        Assert.True(reader.TryReadNext(out Frame frame));
        Assert.Equal(FrameType.Crypto, frame.Type);
        Assert.Equal(241, frame.Crypto.Data.Length);
        Assert.False(reader.TryReadNext(out _));
        Assert.Null(reader.Error);
        Assert.Equal(1162, reader.Position);
    }

    [Fact]
    public void MultiFramePayload_ReadsEveryFrameInOrder()
    {
        byte[] payload = BuildMixedPayload();
        var reader = new FrameReader(payload, PacketType.OneRtt, receiverIsServer: true);
        var types = new List<FrameType>();
        while (reader.TryReadNext(out Frame frame))
        {
            types.Add(frame.Type);
            switch (frame.Type)
            {
                case FrameType.Stream:
                    Assert.Equal(4UL, frame.Stream.StreamId);
                    Assert.Equal("hello"u8.ToArray(), frame.Stream.Data.ToArray());
                    break;
                case FrameType.MaxData:
                    Assert.Equal(1UL << 20, frame.MaxData.MaximumData);
                    break;
                case FrameType.PathChallenge:
                    Assert.Equal(7UL, frame.PathChallenge.Data);
                    break;
                case FrameType.ConnectionCloseApplication:
                    Assert.Equal(3UL, frame.ConnectionClose.ErrorCode);
                    break;
                case FrameType.DatagramWithLength:
                    Assert.Equal(3, frame.Datagram.Data.Length);
                    break;
            }
        }

        Assert.Null(reader.Error);
        Assert.Equal(
            [FrameType.Ack, FrameType.Stream, FrameType.MaxData, FrameType.PathChallenge, FrameType.DatagramWithLength, FrameType.ConnectionCloseApplication],
            types);
        Assert.True(reader.IsAckEliciting);
        Assert.False(reader.IsProbingOnly);
    }

    [Fact]
    public void ProbingFramesOnly_IsProbingPacket()
    {
        byte[] payload = FrameAssert.Hex("1a 0102030405060708 00 00 00 1b 0102030405060708");
        var reader = new FrameReader(payload, PacketType.OneRtt, receiverIsServer: false);
        while (reader.TryReadNext(out _))
        {
        }

        Assert.Null(reader.Error);
        Assert.True(reader.IsProbingOnly);
        Assert.True(reader.IsAckEliciting);
    }

    [Fact]
    public void ReadingTheWrongFrameProperty_Throws()
    {
        var reader = new FrameReader([0x01], PacketType.OneRtt, receiverIsServer: false);
        Assert.True(reader.TryReadNext(out Frame frame));
        bool threw = false;
        try
        {
            _ = frame.Stream;
        }
        catch (InvalidOperationException)
        {
            threw = true;
        }

        Assert.True(threw);
    }

    [Fact]
    public void RetryPacketType_IsAProgrammingError()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameReader([0x01], PacketType.Retry, receiverIsServer: false));
    }

    [Fact]
    public void MutationFuzz_NeverThrows_AndFailsCleanly()
    {
        var random = new Random(0x9000);
        byte[][] corpus = [BuildMixedPayload(), FrameAssert.Hex("02 4064 05 02 0a 08 1e 1c 0a 06 00 03 aabbcc 00 00"), FrameAssert.Hex("18 01 00 04 01020304" + Token16 + "1c 0a 06 00")];
        PacketType[] packetTypes = [PacketType.Initial, PacketType.ZeroRtt, PacketType.Handshake, PacketType.OneRtt];
        int errors = 0, successes = 0;
        for (int iteration = 0; iteration < 20_000; iteration++)
        {
            byte[] payload = Mutate(random, corpus[random.Next(corpus.Length)]);
            var reader = new FrameReader(payload, packetTypes[random.Next(packetTypes.Length)], random.Next(2) == 0);
            int last = 0;
            while (reader.TryReadNext(out Frame frame))
            {
                Assert.True(reader.Position > last);
                last = reader.Position;
                Assert.Equal(frame.Encoding.Length, Rewrite(frame));
            }

            if (reader.Error is { } error)
            {
                errors++;
                Assert.True(error.Code is TransportErrorCode.FRAME_ENCODING_ERROR or TransportErrorCode.PROTOCOL_VIOLATION);
                Assert.False(string.IsNullOrEmpty(error.Reason));
            }
            else
            {
                successes++;
                Assert.Equal(payload.Length, reader.Position);
            }
        }

        Assert.True(errors > 0 && successes > 0, $"errors {errors}, successes {successes}");
    }

    /// <summary>Writes a parsed frame back out; returns how many bytes a canonical re-encoding of its body takes (checked against Length).</summary>
    private static int Rewrite(Frame frame)
    {
        byte[] buffer = new byte[frame.Encoding.Length + 16];
        var writer = new SpanWriter(buffer);
        int length;
        switch (frame.Type)
        {
            case FrameType.Ack:
            case FrameType.AckEcn:
                length = frame.Ack.Length;
                frame.Ack.Write(ref writer);
                break;
            case FrameType.Stream:
                length = frame.Stream.Length;
                frame.Stream.Write(ref writer);
                break;
            case FrameType.Crypto:
                length = frame.Crypto.Length;
                frame.Crypto.Write(ref writer);
                break;
            case FrameType.NewConnectionId:
                length = frame.NewConnectionId.Length;
                frame.NewConnectionId.Write(ref writer);
                break;
            case FrameType.ConnectionClose:
            case FrameType.ConnectionCloseApplication:
                length = frame.ConnectionClose.Length;
                frame.ConnectionClose.Write(ref writer);
                break;
            default:
                // Scalar frames: re-encoding is canonical, so it can only be shorter or equal.
                return frame.Encoding.Length;
        }

        Assert.Equal(length, writer.Position);
        var reader = new FrameReader(buffer.AsSpan(0, length), PacketType.OneRtt, receiverIsServer: false);
        Assert.True(reader.TryReadNext(out Frame again), reader.Error?.Reason);
        Assert.Equal(frame.Type, again.Type);

        // Stream frames re-encode their OFF bit canonically; others use minimal varints, so the
        // encoding is never longer than what was received.
        Assert.True(length <= frame.Encoding.Length || frame.Type == FrameType.Stream);
        return frame.Encoding.Length;
    }

    private static byte[] BuildMixedPayload()
    {
        byte[] buffer = new byte[400];
        var writer = new SpanWriter(buffer);
        new AckFrame([new PacketNumberRange(90, 100), new PacketNumberRange(10, 20)], 12).Write(ref writer);
        writer.Fill(0, 3);
        new StreamFrame(4, 100, "hello"u8, fin: true).Write(ref writer);
        new MaxDataFrame(1UL << 20).Write(ref writer);
        new PathChallengeFrame(7).Write(ref writer);
        new DatagramFrame([1, 2, 3]).Write(ref writer);
        ConnectionCloseFrame.Application(3, "bye"u8).Write(ref writer);
        return buffer[..writer.Position];
    }

    private static byte[] Mutate(Random random, byte[] source)
    {
        var bytes = new List<byte>(source);
        int mutations = random.Next(1, 4);
        for (int i = 0; i < mutations; i++)
        {
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveRange(random.Next(bytes.Count), 1);
                    break;
                case 3:
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
                case 4 when bytes.Count > 0:
                    int keep = random.Next(bytes.Count);
                    bytes.RemoveRange(keep, bytes.Count - keep);
                    break;
            }
        }

        return [.. bytes];
    }
}
