using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Tests.Packets;

public class RetryPacketTests
{
    private const string Rfc9001Retry = "ff000000010008f067a5502a4262b5746f6b656e04a265ba2eff4d829058fb3f0f2496ba";

    [Fact]
    public void WriteWithoutTag_ReproducesRfc9001Retry()
    {
        byte[] buffer = new byte[64];
        var writer = new SpanWriter(buffer);
        RetryPacket.WriteWithoutTag(ref writer, QuicVersion.Version1, [], Convert.FromHexString("f067a5502a4262b5"), "token"u8, unusedBits: 0xf);
        Assert.Equal(RetryPacket.GetLengthWithoutTag(0, 8, 5), writer.Position);
        byte[] expected = Convert.FromHexString(Rfc9001Retry);
        Assert.Equal(RetryPacket.WithoutTag(expected).ToArray(), buffer[..writer.Position]);
    }

    [Fact]
    public void PseudoPacket_PrefixesTheOriginalDestinationConnectionId()
    {
        byte[] retry = Convert.FromHexString(Rfc9001Retry);
        byte[] odcid = Convert.FromHexString("8394c8f03e515708");
        ReadOnlySpan<byte> withoutTag = RetryPacket.WithoutTag(retry);
        byte[] pseudo = new byte[RetryPacket.GetPseudoPacketLength(odcid.Length, withoutTag.Length)];
        Assert.Equal(pseudo.Length, RetryPacket.WritePseudoPacket(pseudo, odcid, withoutTag));
        Assert.Equal("088394c8f03e515708" + Rfc9001Retry[..^32], Convert.ToHexStringLower(pseudo));
    }

    [Fact]
    public void EmptyToken_IsAProgrammingError()
    {
        Assert.Throws<ArgumentException>(() =>
        {
            var writer = new SpanWriter(new byte[64]);
            RetryPacket.WriteWithoutTag(ref writer, QuicVersion.Version1, [], [1], []);
        });
    }
}
