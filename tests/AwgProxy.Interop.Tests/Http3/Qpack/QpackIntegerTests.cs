using AwgProxy.Interop.Http3.Qpack;

namespace AwgProxy.Interop.Tests.Http3.Qpack;

public class QpackIntegerTests
{
    [Theory]
    // RFC 7541 C.1.1-C.1.3
    [InlineData(10UL, 5, "0a")]
    [InlineData(1337UL, 5, "1f9a0a")]
    [InlineData(42UL, 8, "2a")]
    [InlineData(30UL, 5, "1e")]
    [InlineData(31UL, 5, "1f00")]
    [InlineData(127UL, 7, "7f00")]
    [InlineData(128UL, 7, "7f01")]
    [InlineData(254UL, 8, "fe")]
    [InlineData(255UL, 8, "ff00")]
    public void Write_AndRead_MatchRfc7541(ulong value, int prefix, string hex)
    {
        byte[] buffer = new byte[16];
        int written = QpackInteger.Write(buffer, value, prefix, 0);
        Assert.Equal(hex, Convert.ToHexStringLower(buffer, 0, written));
        Assert.Equal(written, QpackInteger.GetLength(value, prefix));
        Assert.True(QpackInteger.TryRead(buffer.AsSpan(0, written), prefix, out ulong read, out int consumed));
        Assert.Equal(value, read);
        Assert.Equal(written, consumed);
    }

    [Fact]
    public void Read_IgnoresBitsAboveThePrefix()
    {
        Assert.True(QpackInteger.TryRead([0xEA], 5, out ulong value, out _));
        Assert.Equal(10UL, value);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(62UL)]
    [InlineData(63UL)]
    [InlineData(16383UL)]
    [InlineData(1UL << 40)]
    [InlineData(QpackInteger.MaxValue)]
    public void Boundaries_RoundTripWithEveryPrefix(ulong value)
    {
        for (int prefix = 1; prefix <= 8; prefix++)
        {
            byte[] buffer = new byte[16];
            int written = QpackInteger.Write(buffer, value, prefix, 0);
            Assert.True(QpackInteger.TryRead(buffer.AsSpan(0, written), prefix, out ulong read, out _));
            Assert.Equal(value, read);
            for (int cut = 0; cut < written; cut++)
            {
                Assert.False(QpackInteger.TryRead(buffer.AsSpan(0, cut), prefix, out _, out int consumed));
                Assert.Equal(0, consumed);
            }
        }
    }

    [Fact]
    public void ValuesBeyond62Bits_AreRejected()
    {
        byte[] buffer = new byte[16];
        int written = QpackInteger.Write(buffer, QpackInteger.MaxValue + 1, 8, 0);
        Assert.False(QpackInteger.TryRead(buffer.AsSpan(0, written), 8, out _, out _));
        Assert.False(QpackInteger.TryRead([0xFF, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], 8, out _, out _));
    }
}
