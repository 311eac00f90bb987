using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Tests.Packets;

public class StatelessResetTests
{
    private static readonly StatelessResetToken Token = new(Convert.FromHexString("00112233445566778899aabbccddeeff"));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(21, 0)]
    [InlineData(22, 21)]
    [InlineData(43, 42)]
    [InlineData(44, 41)]
    [InlineData(1200, 41)]
    public void GetLength_IsAlwaysSmallerThanTheTrigger(int trigger, int expected)
    {
        Assert.Equal(expected, StatelessReset.GetLength(trigger));
        Assert.Equal(59, StatelessReset.GetLength(60, preferredLength: 100));
        Assert.Equal(100, StatelessReset.GetLength(1200, preferredLength: 100));
    }

    [Theory]
    [InlineData(21)]
    [InlineData(41)]
    [InlineData(200)]
    public void Write_LooksLikeAShortHeader_AndEndsWithTheToken(int length)
    {
        byte[] random = Enumerable.Range(0, length).Select(i => (byte)(0xff - i)).ToArray();
        byte[] datagram = new byte[length];
        var writer = new SpanWriter(datagram);
        StatelessReset.Write(ref writer, length, random, Token);
        Assert.Equal(length, writer.Position);
        Assert.Equal(0b01, datagram[0] >> 6);
        Assert.Equal(random[0] & 0x3f, datagram[0] & 0x3f);
        Assert.Equal(random[1..(length - 16)], datagram[1..(length - 16)]);
        Assert.True(StatelessReset.Matches(datagram, Token));
        Assert.True(StatelessReset.TryGetToken(datagram, out StatelessResetToken found));
        Assert.Equal(Token, found);
    }

    [Fact]
    public void Recogniser_RejectsOtherTokensAndShortDatagrams()
    {
        byte[] datagram = new byte[41];
        var writer = new SpanWriter(datagram);
        StatelessReset.Write(ref writer, 41, new byte[41], Token);
        datagram[^1] ^= 1;
        Assert.False(StatelessReset.Matches(datagram, Token));
        Assert.False(StatelessReset.Matches(datagram.AsSpan(0, 20), Token));
        Assert.False(StatelessReset.TryGetToken(new byte[20], out _));
    }

    [Fact]
    public void Write_RejectsTooShortOrTooLittleRandomness()
    {
        byte[] datagram = new byte[64];
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            var writer = new SpanWriter(datagram);
            StatelessReset.Write(ref writer, 20, new byte[20], Token);
        });
        Assert.Throws<ArgumentException>(() =>
        {
            var writer = new SpanWriter(datagram);
            StatelessReset.Write(ref writer, 41, new byte[10], Token);
        });
    }
}
