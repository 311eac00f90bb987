using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Tests.Packets;

public class QuicVersionTests
{
    [Theory]
    [InlineData(0x0a0a0a0aU, true)]
    [InlineData(0x1a2a3a4aU, true)]
    [InlineData(0xfafafafaU, true)]
    [InlineData(0x00000001U, false)]
    [InlineData(0x0a0a0a0bU, false)]
    [InlineData(0x00000000U, false)]
    public void IsReserved_MatchesThe0xQaQaQaQaPattern(uint version, bool reserved)
    {
        Assert.Equal(reserved, QuicVersion.IsReserved(version));
    }

    [Fact]
    public void MakeReserved_AlwaysProducesAReservedVersion()
    {
        foreach (uint random in new uint[] { 0, 1, 0xffffffff, 0x12345678, 0xdeadbeef })
        {
            Assert.True(QuicVersion.IsReserved(QuicVersion.MakeReserved(random)));
        }

        Assert.True(QuicVersion.IsSupported(QuicVersion.Version1));
        Assert.False(QuicVersion.IsSupported(QuicVersion.Negotiation));
    }
}
