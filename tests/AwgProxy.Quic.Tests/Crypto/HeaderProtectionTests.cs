using AwgProxy.Quic.Crypto;

namespace AwgProxy.Quic.Tests.Crypto;

/// <summary>RFC 9001 section 5.4.1 and 5.4.2: applying and removing header protection in a buffer.</summary>
public class HeaderProtectionTests
{
    private static HeaderProtectionKey NewKey(int seed)
    {
        byte[] secret = new byte[32];
        new Random(seed).NextBytes(secret);
        return new HeaderProtectionKey(CipherSuite.TLS_AES_128_GCM_SHA256, secret);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void ApplyThenRemove_LongHeader_RestoresHeaderAndMasksOnlyLowFourBits(int pnLength)
    {
        using HeaderProtectionKey key = NewKey(pnLength);
        byte[] packet = PacketBuilder.LongHeader(pnLength, 0x11223344, payloadLength: 30, dcidLength: 8);
        int pnOffset = PacketBuilder.LongHeaderPnOffset(8);
        byte[] original = packet.ToArray();

        Assert.Equal(pnLength, HeaderProtection.Apply(packet, pnOffset, key));
        Assert.Equal(original[0] & 0xf0, packet[0] & 0xf0);
        Assert.Equal(original.AsSpan(1, pnOffset - 1).ToArray(), packet.AsSpan(1, pnOffset - 1).ToArray());
        Assert.Equal(original.AsSpan(pnOffset + pnLength).ToArray(), packet.AsSpan(pnOffset + pnLength).ToArray());

        Assert.True(HeaderProtection.TryRemove(packet, pnOffset, key, out uint truncated, out int length));
        Assert.Equal(original, packet);
        Assert.Equal(pnLength, length);
        Assert.Equal(0x11223344u & (uint)((1UL << (8 * pnLength)) - 1), truncated);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(4, true)]
    public void ApplyThenRemove_ShortHeader_RestoresKeyPhaseAndMasksOnlyLowFiveBits(int pnLength, bool keyPhase)
    {
        using HeaderProtectionKey key = NewKey(10 + pnLength);
        byte[] packet = PacketBuilder.ShortHeader(pnLength, 0xa1b2c3d4, payloadLength: 20, dcidLength: 8, keyPhase);
        byte[] original = packet.ToArray();

        HeaderProtection.Apply(packet, 9, key);
        Assert.Equal(original[0] & 0xe0, packet[0] & 0xe0);

        Assert.True(HeaderProtection.TryRemove(packet, 9, key, out uint truncated, out int length));
        Assert.Equal(original, packet);
        Assert.Equal(keyPhase, (packet[0] & 0x04) != 0);
        Assert.Equal(pnLength, length);
        Assert.Equal(0xa1b2c3d4u & (uint)((1UL << (8 * pnLength)) - 1), truncated);
    }

    [Fact]
    public void Apply_ManySamples_ChangesProtectedBitsSomewhere()
    {
        using HeaderProtectionKey key = NewKey(99);
        var firstBytes = new HashSet<byte>();
        for (int i = 0; i < 64; i++)
        {
            byte[] packet = PacketBuilder.ShortHeader(4, (ulong)i, payloadLength: 20, dcidLength: 0);
            packet[10] = (byte)i; // vary the sample
            HeaderProtection.Apply(packet, 1, key);
            firstBytes.Add(packet[0]);
        }

        Assert.True(firstBytes.Count > 8);
        Assert.All(firstBytes, b => Assert.Equal(0x40, b & 0xe0));
    }

    [Fact]
    public void TryRemove_PacketTooShortForSample_ReturnsFalseAndLeavesBufferUntouched()
    {
        using HeaderProtectionKey key = NewKey(1);
        for (int length = 0; length < 9 + 20; length++)
        {
            byte[] packet = new byte[length];
            for (int i = 0; i < length; i++) packet[i] = (byte)(0x5a + i);
            byte[] original = packet.ToArray();

            Assert.False(HeaderProtection.TryRemove(packet, 9, key, out uint truncated, out int pnLength));
            Assert.Equal(original, packet);
            Assert.Equal(0u, truncated);
            Assert.Equal(0, pnLength);
        }
        Assert.True(HeaderProtection.TryRemove(new byte[29], 9, key, out _, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void TryRemove_ImpossibleOffset_ReturnsFalse(int pnOffset)
    {
        using HeaderProtectionKey key = NewKey(2);

        Assert.False(HeaderProtection.TryRemove(new byte[100], pnOffset, key, out _, out _));
    }

    [Fact]
    public void Apply_PacketTooShortForSample_Throws()
    {
        using HeaderProtectionKey key = NewKey(3);

        Assert.Throws<ArgumentException>(() => HeaderProtection.Apply(new byte[28], 9, key));
        Assert.Equal(20, HeaderProtection.MinimumPacketLength(0));
    }
}
