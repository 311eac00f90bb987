using AwgProxy.Quic.Crypto;

namespace AwgProxy.Quic.Tests.Crypto;

/// <summary>The one-call protect / unprotect API on whole packets.</summary>
public class PacketProtectionTests
{
    private const CipherSuite Aes256 = CipherSuite.TLS_AES_256_GCM_SHA384;

    private static byte[] RandomSecret(CipherSuite suite, int seed)
    {
        byte[] secret = new byte[suite.HashLength()];
        new Random(seed).NextBytes(secret);
        return secret;
    }

    private static bool Unprotect(byte[] packet, int pnOffset, DirectionKeys keys, ulong expectedPacketNumber, out byte[] plaintext)
    {
        plaintext = [];
        if (!PacketProtection.TryRemoveHeaderProtection(packet, pnOffset, keys.HeaderProtection, out uint truncated, out int pnLength))
            return false;
        // These tests send packet numbers whose truncation is the full number modulo the encoded length.
        ulong fullPacketNumber = (expectedPacketNumber & ~((1UL << (8 * pnLength)) - 1)) | truncated;
        if (!PacketProtection.TryDecryptPayload(packet, pnOffset, pnLength, fullPacketNumber, keys.Current, out Span<byte> payload))
            return false;
        plaintext = payload.ToArray();
        return true;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Aes256Gcm_LongHeader_ProtectThenUnprotect_RoundTrips(int pnLength)
    {
        byte[] secret = RandomSecret(Aes256, pnLength);
        using var sender = new DirectionKeys(Aes256, secret);
        using var receiver = new DirectionKeys(Aes256, secret);
        ulong packetNumber = 0x0102030405UL & ((1UL << (8 * pnLength)) - 1);
        byte[] packet = PacketBuilder.LongHeader(pnLength, packetNumber, payloadLength: 50, dcidLength: 8);
        byte[] original = packet.ToArray();
        int pnOffset = PacketBuilder.LongHeaderPnOffset(8);

        PacketProtection.Protect(packet, pnOffset, pnLength, packetNumber, sender);
        Assert.NotEqual(original, packet);

        Assert.True(Unprotect(packet, pnOffset, receiver, packetNumber, out byte[] plaintext));
        Assert.Equal(original.AsSpan(pnOffset + pnLength, 50).ToArray(), plaintext);
        Assert.Equal(original.AsSpan(0, pnOffset + pnLength).ToArray(), packet.AsSpan(0, pnOffset + pnLength).ToArray());
    }

    [Theory]
    [InlineData(CipherSuite.TLS_AES_128_GCM_SHA256)]
    [InlineData(CipherSuite.TLS_AES_256_GCM_SHA384)]
    [InlineData(CipherSuite.TLS_CHACHA20_POLY1305_SHA256)]
    public void ShortHeader_LargePacketNumber_RoundTripsWithKeyPhaseBit(CipherSuite suite)
    {
        byte[] secret = RandomSecret(suite, 40);
        using var sender = new DirectionKeys(suite, secret);
        using var receiver = new DirectionKeys(suite, secret);
        const ulong packetNumber = 0x3fff_ffff_0000_1234;
        byte[] packet = PacketBuilder.ShortHeader(2, packetNumber, payloadLength: 100, dcidLength: 12, keyPhase: true);
        byte[] original = packet.ToArray();

        PacketProtection.Protect(packet, 13, 2, packetNumber, sender);

        Assert.True(Unprotect(packet, 13, receiver, packetNumber, out byte[] plaintext));
        Assert.Equal(original[0], packet[0]);
        Assert.Equal(original.AsSpan(15, 100).ToArray(), plaintext);
    }

    [Fact]
    public void Aes256Gcm_TamperedCiphertextTagOrHeader_FailsWithoutException()
    {
        byte[] secret = RandomSecret(Aes256, 50);
        using var sender = new DirectionKeys(Aes256, secret);
        using var receiver = new DirectionKeys(Aes256, secret);
        int pnOffset = PacketBuilder.LongHeaderPnOffset(8);
        byte[] packet = PacketBuilder.LongHeader(2, 300, payloadLength: 64, dcidLength: 8);
        PacketProtection.Protect(packet, pnOffset, 2, 300, sender);

        int[] positions =
        [
            0,                    // first byte, protected bits
            3,                    // version
            7,                    // destination connection ID
            pnOffset,             // protected packet number
            pnOffset + 2 + 10,    // ciphertext
            packet.Length - 20,   // ciphertext end
            packet.Length - 1,    // tag
        ];
        foreach (int position in positions)
        {
            byte[] tampered = packet.ToArray();
            tampered[position] ^= 0x01;
            Assert.False(Unprotect(tampered, pnOffset, receiver, 300, out _));
        }

        Assert.Equal(positions.Length, receiver.FailedDecryptions);
        Assert.True(Unprotect(packet.ToArray(), pnOffset, receiver, 300, out _));
    }

    [Fact]
    public void RandomBytes_NeverThrowAndNeverAuthenticate()
    {
        var random = new Random(60);
        using var receiver = new DirectionKeys(Aes256, RandomSecret(Aes256, 61));
        for (int trial = 0; trial < 200; trial++)
        {
            byte[] datagram = new byte[random.Next(0, 200)];
            random.NextBytes(datagram);
            int pnOffset = random.Next(-2, 40);

            Assert.False(Unprotect(datagram, pnOffset, receiver, 0, out _));
        }
    }

    [Fact]
    public void TryRemoveHeaderProtection_TooShortForSample_FailsCleanly()
    {
        using var keys = new DirectionKeys(Aes256, RandomSecret(Aes256, 70));
        byte[] packet = new byte[1 + 8 + 19];
        byte[] original = packet.ToArray();

        Assert.False(PacketProtection.TryRemoveHeaderProtection(packet, 9, keys.HeaderProtection, out _, out _));
        Assert.Equal(original, packet);
    }

    [Fact]
    public void TryDecryptPayload_NoRoomForTag_ReturnsFalse()
    {
        using var keys = new DirectionKeys(Aes256, RandomSecret(Aes256, 71));

        Assert.False(PacketProtection.TryDecryptPayload(new byte[1 + 4 + 15], 1, 4, 0, keys.Current, out Span<byte> plaintext));
        Assert.True(plaintext.IsEmpty);
        Assert.Equal(0, keys.FailedDecryptions);
    }

    [Fact]
    public void Protect_PayloadTooShortToSample_Throws()
    {
        using var keys = new DirectionKeys(Aes256, RandomSecret(Aes256, 72));
        // 1-byte packet number + 2-byte payload: 3 < 4 bytes before the sample.
        byte[] packet = PacketBuilder.ShortHeader(1, 5, payloadLength: 2, dcidLength: 0);

        Assert.Throws<ArgumentException>(() => PacketProtection.Protect(packet, 1, 1, 5, keys));
        PacketProtection.Protect(PacketBuilder.ShortHeader(1, 5, payloadLength: 3, dcidLength: 0), 1, 1, 5, keys);
    }

    [Fact]
    public void Protect_InconsistentPacketNumberEncoding_Throws()
    {
        using var keys = new DirectionKeys(Aes256, RandomSecret(Aes256, 73));

        byte[] lengthMismatch = PacketBuilder.ShortHeader(2, 5, payloadLength: 20, dcidLength: 0);
        Assert.Throws<ArgumentException>(() => PacketProtection.Protect(lengthMismatch, 1, 3, 5, keys));

        byte[] numberMismatch = PacketBuilder.ShortHeader(2, 5, payloadLength: 20, dcidLength: 0);
        Assert.Throws<ArgumentException>(() => PacketProtection.Protect(numberMismatch, 1, 2, 6, keys));

        Assert.Throws<ArgumentOutOfRangeException>(() => PacketProtection.Protect(numberMismatch, 1, 5, 5, keys));
        Assert.Equal(0, keys.Current.EncryptedPackets);
    }

    [Theory]
    [InlineData(CipherSuite.TLS_AES_128_GCM_SHA256)]
    [InlineData(CipherSuite.TLS_AES_256_GCM_SHA384)]
    [InlineData(CipherSuite.TLS_CHACHA20_POLY1305_SHA256)]
    public void ProtectAndUnprotect_AreAllocationFree(CipherSuite suite)
    {
        byte[] secret = RandomSecret(suite, 80);
        using var sender = new DirectionKeys(suite, secret);
        using var receiver = new DirectionKeys(suite, secret);
        byte[] packet = PacketBuilder.ShortHeader(4, 0, payloadLength: 1200, dcidLength: 8);
        RoundTrip(packet, 0, sender, receiver);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (uint pn = 1; pn <= 100; pn++)
            RoundTrip(packet, pn, sender, receiver);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void RoundTrip(byte[] packet, uint pn, DirectionKeys sender, DirectionKeys receiver)
    {
        packet[0] = 0x43;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(9), pn);
        PacketProtection.Protect(packet, 9, 4, pn, sender);
        if (!PacketProtection.TryRemoveHeaderProtection(packet, 9, receiver.HeaderProtection, out uint truncated, out int pnLength)
            || !PacketProtection.TryDecryptPayload(packet, 9, pnLength, truncated, receiver.Current, out _))
        {
            throw new InvalidOperationException("round trip failed");
        }
    }
}
