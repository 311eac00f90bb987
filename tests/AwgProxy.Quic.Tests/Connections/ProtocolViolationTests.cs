using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Packets;
using AwgProxy.Quic.Streams;
using AwgProxy.Quic.Tests.Simulation;

namespace AwgProxy.Quic.Tests.Connections;

/// <summary>Authenticated but invalid frames close the connection with the error code RFC 9000 names, and the peer learns it.</summary>
public class ProtocolViolationTests
{
    private delegate void FrameWriter(ref SpanWriter writer);

    private static void AssertClosesWith(Func<Pair, Connection> target, FrameWriter write, TransportErrorCode expected, PacketType type = PacketType.OneRtt)
    {
        using var pair = new Pair(seed: 300 + (int)expected);
        pair.DriveHandshake();
        pair.RunFor(TimeSpan.FromMilliseconds(50));
        Connection connection = target(pair);
        var buffer = new byte[1200];
        var writer = new SpanWriter(buffer);
        write(ref writer);

        connection.InjectDecryptedPayload(pair.Now, buffer.AsSpan(0, writer.Position), type);

        Assert.NotNull(connection.Error);
        Assert.Equal(expected, connection.Error!.TransportErrorCode);
        Assert.True(connection.Error.IsLocal);
        Assert.Equal(ConnectionState.Closing, connection.State);
        Connection peer = connection == pair.Client ? pair.Server : pair.Client;
        pair.Drive(() => peer.Error is not null, TimeSpan.FromSeconds(1), "The peer learning of the error");
        Assert.Equal(expected, peer.Error!.TransportErrorCode);
        Assert.False(peer.Error.IsLocal);
    }

    [Fact]
    public void StreamFrameOnUnopenedLocalStream_IsStreamStateError() =>
        AssertClosesWith(p => p.Server, (ref SpanWriter w) => new StreamFrame(1, 0, [1, 2, 3], false).Write(ref w), TransportErrorCode.STREAM_STATE_ERROR);

    [Fact]
    public void StreamFrameOnOurUnidirectionalStream_IsStreamStateError()
    {
        // Stream 2 is a client-initiated unidirectional stream: the client only sends on it.
        AssertClosesWith(
            p =>
            {
                Assert.True(p.Client.TryOpenStream(StreamDirection.Unidirectional, out _));
                return p.Client;
            },
            (ref SpanWriter w) => new StreamFrame(2, 0, [1], false).Write(ref w),
            TransportErrorCode.STREAM_STATE_ERROR);
    }

    [Fact]
    public void StreamBeyondTheStreamLimit_IsStreamLimitError() =>
        AssertClosesWith(p => p.Server, (ref SpanWriter w) => new StreamFrame(4 * 100, 0, [1], false).Write(ref w), TransportErrorCode.STREAM_LIMIT_ERROR);

    [Fact]
    public void DataBeyondTheStreamWindow_IsFlowControlError() =>
        AssertClosesWith(p => p.Server, (ref SpanWriter w) => new StreamFrame(0, 4UL << 20, [1], false).Write(ref w), TransportErrorCode.FLOW_CONTROL_ERROR);

    [Fact]
    public void FinalSizeChange_IsFinalSizeError() =>
        AssertClosesWith(
            p => p.Server,
            (ref SpanWriter w) =>
            {
                new StreamFrame(0, 0, [1, 2, 3, 4], true).Write(ref w);
                new StreamFrame(0, 0, [1, 2], true).Write(ref w);
            },
            TransportErrorCode.FINAL_SIZE_ERROR);

    [Fact]
    public void AckOfAnUnsentPacket_IsProtocolViolation() =>
        AssertClosesWith(p => p.Client, (ref SpanWriter w) => new AckFrame([new PacketNumberRange(0, 100_000)], 0).Write(ref w), TransportErrorCode.PROTOCOL_VIOLATION);

    [Fact]
    public void HandshakeDoneSentByAClient_IsProtocolViolation() =>
        AssertClosesWith(p => p.Server, (ref SpanWriter w) => w.WriteByte((byte)FrameType.HandshakeDone), TransportErrorCode.PROTOCOL_VIOLATION);

    [Fact]
    public void DatagramLargerThanAnnounced_IsProtocolViolation()
    {
        ClientConnectionOptions client = TestPeers.Client();
        client.MaxDatagramFrameSize = 100;
        using var pair = new Pair(seed: 310, client: client);
        pair.DriveHandshake();
        var buffer = new byte[300];
        var writer = new SpanWriter(buffer);
        new DatagramFrame(new byte[150]).Write(ref writer);

        pair.Client.InjectDecryptedPayload(pair.Now, buffer.AsSpan(0, writer.Position), PacketType.OneRtt);

        Assert.Equal(TransportErrorCode.PROTOCOL_VIOLATION, pair.Client.Error!.TransportErrorCode);
        Assert.Equal((ulong)FrameType.DatagramWithLength, pair.Client.Error.FrameType);
    }

    [Fact]
    public void TooManyConnectionIds_IsConnectionIdLimitError() =>
        AssertClosesWith(
            p => p.Client,
            (ref SpanWriter w) =>
            {
                for (ulong sequence = 10; sequence < 16; sequence++)
                {
                    var id = new byte[8];
                    id[0] = (byte)sequence;
                    var token = new byte[16];
                    token[0] = (byte)sequence;
                    new NewConnectionIdFrame(sequence, 0, new ConnectionId(id), new StatelessResetToken(token)).Write(ref w);
                }
            },
            TransportErrorCode.CONNECTION_ID_LIMIT_ERROR);

    [Fact]
    public void RetireOfANeverIssuedConnectionId_IsProtocolViolation() =>
        AssertClosesWith(p => p.Server, (ref SpanWriter w) => new RetireConnectionIdFrame(50).Write(ref w), TransportErrorCode.PROTOCOL_VIOLATION);

    [Fact]
    public void MalformedFrame_IsFrameEncodingError() =>
        AssertClosesWith(p => p.Server, (ref SpanWriter w) => w.WriteByte(0x40), TransportErrorCode.FRAME_ENCODING_ERROR);

    [Fact]
    public void StreamFrameInAHandshakePacket_IsProtocolViolation()
    {
        using var pair = new Pair(seed: 311);
        pair.Connect();
        pair.Drive(() => pair.HasServer && pair.Server.TlsSession.ReadLevel == EncryptionLevel.Handshake, TimeSpan.FromSeconds(1), "The server waiting for the client's Finished");
        var buffer = new byte[100];
        var writer = new SpanWriter(buffer);
        new StreamFrame(0, 0, [1], false).Write(ref writer);

        pair.Server.InjectDecryptedPayload(pair.Now, buffer.AsSpan(0, writer.Position), PacketType.Handshake);

        Assert.Equal(TransportErrorCode.PROTOCOL_VIOLATION, pair.Server.Error!.TransportErrorCode);
    }

    [Fact]
    public void NewConnectionIdReusingASequenceNumberForAnotherId_IsProtocolViolation() =>
        AssertClosesWith(
            p => p.Client,
            (ref SpanWriter w) => new NewConnectionIdFrame(1, 0, new ConnectionId([9, 9, 9, 9, 9, 9, 9, 9]), new StatelessResetToken(new byte[16])).Write(ref w),
            TransportErrorCode.PROTOCOL_VIOLATION);
}
