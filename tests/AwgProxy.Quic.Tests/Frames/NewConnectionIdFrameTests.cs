using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Tests.Frames;

public class NewConnectionIdFrameTests
{
    private const string Token = "00112233445566778899aabbccddeeff";

    [Fact]
    public void KnownEncoding_Parses()
    {
        byte[] encoding = FrameAssert.Hex("18 02 01 04 deadbeef" + Token);
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(NewConnectionIdFrame.TryParse(ref reader, FrameType.NewConnectionId, out NewConnectionIdFrame frame));
        Assert.Equal(2UL, frame.SequenceNumber);
        Assert.Equal(1UL, frame.RetirePriorTo);
        Assert.Equal("deadbeef", frame.ConnectionId.ToString());
        Assert.Equal(Token, frame.StatelessResetToken.ToString());
        FrameAssert.EveryTruncationFails(encoding, (ref SpanReader r, FrameType t) => NewConnectionIdFrame.TryParse(ref r, t, out _));
    }

    [Theory]
    [InlineData(0UL, 0UL, 1)]
    [InlineData(70UL, 64UL, 8)]
    [InlineData(VarInt.MaxValue, VarInt.MaxValue, 20)]
    public void Write_ProducesLengthBytes_AndRoundTrips(ulong sequence, ulong retirePriorTo, int idLength)
    {
        byte[] id = Enumerable.Range(1, idLength).Select(i => (byte)i).ToArray();
        var frame = new NewConnectionIdFrame(sequence, retirePriorTo, new ConnectionId(id), new StatelessResetToken(Convert.FromHexString(Token)));
        byte[] buffer = new byte[frame.Length + 4];
        var writer = new SpanWriter(buffer);
        frame.Write(ref writer);
        Assert.Equal(frame.Length, writer.Position);
        byte[] encoding = buffer[..writer.Position];
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.True(NewConnectionIdFrame.TryParse(ref reader, FrameType.NewConnectionId, out NewConnectionIdFrame parsed));
        Assert.Equal(frame, parsed);
        Assert.Equal(id, parsed.ConnectionId.AsSpan().ToArray());
        Assert.Equal(FrameType.NewConnectionId, FrameAssert.ReadSingleType(encoding));
    }

    [Theory]
    [InlineData("18 01 00 00" + Token)] // zero-length connection ID
    [InlineData("18 01 00 15 000102030405060708090a0b0c0d0e0f1011121314" + Token)] // 21 bytes
    [InlineData("18 01 02 01 aa" + Token)] // Retire Prior To above Sequence Number
    public void InvalidFields_AreRejected(string hex)
    {
        byte[] encoding = FrameAssert.Hex(hex);
        var reader = FrameAssert.ReaderAfterType(encoding);
        Assert.False(NewConnectionIdFrame.TryParse(ref reader, FrameType.NewConnectionId, out _));
        Assert.Equal(0, reader.Position);
    }

    [Fact]
    public void Constructor_RejectsInvalidFields()
    {
        var token = new StatelessResetToken(new byte[16]);
        Assert.Throws<ArgumentException>(() => new NewConnectionIdFrame(1, 0, ConnectionId.Empty, token));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NewConnectionIdFrame(1, 2, new ConnectionId([1]), token));
    }
}
