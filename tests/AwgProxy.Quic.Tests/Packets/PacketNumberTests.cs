using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Tests.Packets;

public class PacketNumberTests
{
    // RFC 9000 appendix A.2: 0xac5c02 with 0xabe8b3 acknowledged needs 16 bits; 0xace8fe needs 24.
    [Theory]
    [InlineData(0xac5c02UL, 0xabe8b3UL, 2)]
    [InlineData(0xace8feUL, 0xabe8b3UL, 3)]
    public void Rfc9000AppendixA2_Examples(ulong packetNumber, ulong largestAcked, int expectedLength)
    {
        Assert.Equal(expectedLength, PacketNumber.GetEncodedLength(packetNumber, largestAcked));
    }

    // RFC 9000 appendix A.3 (and section 17.1): largest 0xa82f30ea, 16-bit 0x9b32 decodes to 0xa82f9b32.
    [Fact]
    public void Rfc9000AppendixA3_Example()
    {
        Assert.Equal(0xa82f9b32UL, PacketNumber.Decode(0xa82f30ea, 0x9b32, 2));
    }

    [Theory]
    [InlineData(0UL, 1)]
    [InlineData(127UL, 1)]
    [InlineData(128UL, 2)]
    [InlineData(32767UL, 2)]
    [InlineData(32768UL, 3)]
    [InlineData(1UL << 40, 4)]
    public void NothingAcknowledged_CoversTwiceThePacketNumber(ulong packetNumber, int expectedLength)
    {
        Assert.Equal(expectedLength, PacketNumber.GetEncodedLength(packetNumber, null));
    }

    [Theory]
    [InlineData(0xffUL, 0x00U, 1, 0x100UL)]
    [InlineData(0x100UL, 0xffU, 1, 0xffUL)]
    [InlineData(0x17fUL, 0x00U, 1, 0x200UL)]
    [InlineData(0x180UL, 0x00U, 1, 0x200UL)]
    [InlineData(0x10UL, 0xf0U, 1, 0xf0UL)]
    [InlineData(0x10UL, 0xffU, 1, 0xffUL)]
    public void Decode_PicksTheCandidateClosestToTheNextExpected(ulong largest, uint truncated, int length, ulong expected)
    {
        Assert.Equal(expected, PacketNumber.Decode(largest, truncated, length));
    }

    [Fact]
    public void Decode_NearTheMaximum_DoesNotExceed2Pow62()
    {
        ulong largest = PacketNumber.MaxValue - 1;
        Assert.Equal(PacketNumber.MaxValue, PacketNumber.Decode(largest, PacketNumber.Truncate(PacketNumber.MaxValue, 1), 1));
        Assert.True(PacketNumber.Decode(largest, 0x00, 1) <= PacketNumber.MaxValue);
    }

    public static TheoryData<ulong> Bases => new(
        0UL, 1UL, 0x7fUL, 0xffUL, 0x100UL, 0x7fffUL, 0xffffUL, 0x10000UL, 0xffffffUL, 0x7fffffffUL, 0xffffffffUL,
        0x1_0000_0000UL, 0xabe8b3UL, PacketNumber.MaxValue - 70000);

    [Theory]
    [MemberData(nameof(Bases))]
    public void EncodeThenDecode_RoundTripsAcrossWrapBoundaries(ulong largestAcked)
    {
        byte[] buffer = new byte[4];
        foreach (ulong distance in Distances())
        {
            ulong packetNumber = largestAcked + distance;
            if (packetNumber > PacketNumber.MaxValue) continue;
            int length = PacketNumber.GetEncodedLength(packetNumber, largestAcked);
            PacketNumber.Write(buffer, packetNumber, length);
            Assert.True(PacketNumber.TryReadTruncated(buffer, length, out uint truncated));
            Assert.Equal(PacketNumber.Truncate(packetNumber, length), truncated);

            // Whatever the receiver has seen between the acknowledged packet and this one, it decodes right.
            Assert.Equal(packetNumber, PacketNumber.Decode(largestAcked, truncated, length));
            Assert.Equal(packetNumber, PacketNumber.Decode(packetNumber - 1, truncated, length));
            Assert.Equal(packetNumber, PacketNumber.Decode(largestAcked + (distance / 2), truncated, length));
        }
    }

    [Fact]
    public void FirstPackets_RoundTripWithNothingReceived()
    {
        for (ulong packetNumber = 0; packetNumber < 70000; packetNumber++)
        {
            int length = PacketNumber.GetEncodedLength(packetNumber, null);
            uint truncated = PacketNumber.Truncate(packetNumber, length);
            Assert.Equal(packetNumber, PacketNumber.Decode(null, truncated, length));
        }
    }

    [Fact]
    public void ExhaustiveOneByteWindow_DecodesEveryTruncatedValueWithinHalfAWindow()
    {
        for (ulong largest = 0; largest < 1024; largest++)
        {
            for (uint truncated = 0; truncated < 256; truncated++)
            {
                ulong decoded = PacketNumber.Decode(largest, truncated, 1);
                Assert.Equal(truncated, (uint)(decoded & 0xff));
                long distance = (long)decoded - (long)(largest + 1);
                if (largest + 1 >= 128)
                {
                    Assert.True(distance is > -128 and <= 128, $"largest {largest}, truncated {truncated}: {decoded}");
                }
                else
                {
                    // Near zero no candidate can be negative, so the window is [0, 255].
                    Assert.Equal(truncated, decoded);
                }
            }
        }
    }

    [Fact]
    public void InvalidLengths_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PacketNumber.Truncate(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PacketNumber.Decode(1, 1, 5));
        Assert.False(PacketNumber.TryReadTruncated([1, 2], 3, out _));
    }

    private static IEnumerable<ulong> Distances()
    {
        for (ulong d = 1; d <= 600; d++) yield return d;
        for (int shift = 9; shift <= 31; shift++)
        {
            ulong power = 1UL << shift;
            yield return power - 1;
            yield return power;
            yield return power + 1;
        }
    }
}
