using AwgProxy.Quic.Crypto;

namespace AwgProxy.Quic.Tests.Crypto;

/// <summary>
/// Every <see cref="AeadBackend"/> behind <see cref="PacketKey"/> seals and opens exactly as the platform's AEAD for the
/// same suite (seeded random packets), in the packet layout (tag right after the payload, in place) and with a separate
/// tag buffer, and refuses tampered input with false, never an exception.
/// </summary>
public class AeadBackendTests
{
    private const int TagLength = PacketKey.TagLength;

    /// <summary>Each libsodium backend available here, with the platform backend it must match.</summary>
    public static TheoryData<CipherSuite, AeadBackend, AeadBackend> SodiumAgainstPlatform()
    {
        var data = new TheoryData<CipherSuite, AeadBackend, AeadBackend>();
        if (AeadBackends.IsAvailable(AeadBackend.SodiumAes256Gcm))
            data.Add(CipherSuite.TLS_AES_256_GCM_SHA384, AeadBackend.SodiumAes256Gcm, AeadBackend.PlatformAesGcm);
        if (AeadBackends.IsAvailable(AeadBackend.PlatformChaCha20Poly1305))
            data.Add(CipherSuite.TLS_CHACHA20_POLY1305_SHA256, AeadBackend.SodiumChaCha20Poly1305, AeadBackend.PlatformChaCha20Poly1305);
        return data;
    }

    /// <summary>Every (suite, backend) pair that runs here.</summary>
    public static TheoryData<CipherSuite, AeadBackend> AvailablePairs()
    {
        var data = new TheoryData<CipherSuite, AeadBackend>();
        foreach (CipherSuite suite in Enum.GetValues<CipherSuite>())
        {
            foreach (AeadBackend backend in Enum.GetValues<AeadBackend>())
            {
                if (AeadBackends.Implements(backend, suite) && AeadBackends.IsAvailable(backend))
                    data.Add(suite, backend);
            }
        }

        return data;
    }

    [Fact]
    public void Machine_HasASodiumBackendToCrossCheck()
    {
        // The cross-check theories below must not be empty on the machines the project is tested on (x86-64 and
        // arm64 Linux with OpenSSL 3): OpenSSL has ChaCha20-Poly1305 there.
        Assert.NotEmpty(SodiumAgainstPlatform());
    }

    [Fact]
    public void Default_PicksLibsodiumWhereItIsFaster()
    {
        Assert.Equal(AeadBackend.PlatformAesGcm, AeadBackends.Default(CipherSuite.TLS_AES_128_GCM_SHA256));
        Assert.Equal(
            AeadBackends.HasSodiumAes256Gcm ? AeadBackend.SodiumAes256Gcm : AeadBackend.PlatformAesGcm,
            AeadBackends.Default(CipherSuite.TLS_AES_256_GCM_SHA384));
        Assert.Equal(AeadBackend.SodiumChaCha20Poly1305, AeadBackends.Default(CipherSuite.TLS_CHACHA20_POLY1305_SHA256));
        Assert.True(CipherSuite.TLS_CHACHA20_POLY1305_SHA256.IsSupported());

        foreach (CipherSuite suite in Enum.GetValues<CipherSuite>())
        {
            using var key = new PacketKey(suite, new byte[suite.HashLength()]);
            Assert.Equal(AeadBackends.Default(suite), key.Backend);
        }
    }

    [Theory]
    [MemberData(nameof(SodiumAgainstPlatform))]
    public void SealAndOpen_RandomPackets_MatchThePlatformAead(CipherSuite suite, AeadBackend backend, AeadBackend reference)
    {
        var random = new Random(9001 + (int)backend);
        for (int i = 0; i < 300; i++)
        {
            byte[] secret = RandomBytes(random, suite.HashLength());
            byte[] header = RandomBytes(random, random.Next(1, 64));
            byte[] payload = RandomBytes(random, i < 4 ? i : random.Next(0, 1500));
            ulong packetNumber = (ulong)random.NextInt64(0, 1L << 62);

            using var key = new PacketKey(suite, secret, long.MaxValue, backend);
            using var referenceKey = new PacketKey(suite, secret, long.MaxValue, reference);
            byte[] sealedByBackend = [.. payload, .. new byte[TagLength]];
            byte[] sealedByReference = [.. payload, .. new byte[TagLength]];
            key.Seal(packetNumber, header, sealedByBackend);
            referenceKey.Seal(packetNumber, header, sealedByReference);
            Assert.Equal(sealedByReference, sealedByBackend);

            // Each opens what the other sealed, in place.
            Assert.True(key.TryOpen(packetNumber, header, sealedByReference));
            Assert.Equal(payload, sealedByReference.AsSpan(0, payload.Length).ToArray());
            Assert.True(referenceKey.TryOpen(packetNumber, header, sealedByBackend));
            Assert.Equal(payload, sealedByBackend.AsSpan(0, payload.Length).ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(SodiumAgainstPlatform))]
    public void SodiumKeyAllocationFails_FallsBackToThePlatformAead_SameBytes(CipherSuite suite, AeadBackend backend, AeadBackend reference)
    {
        var random = new Random(77);
        byte[] secret = RandomBytes(random, suite.HashLength());
        byte[] header = RandomBytes(random, 20);
        byte[] payload = RandomBytes(random, 1200);
        using var sodiumKey = new PacketKey(suite, secret, long.MaxValue, backend);
        PacketKey.t_failSodiumImportsForTests = true;
        PacketKey fallbackKey;
        try
        {
            fallbackKey = new PacketKey(suite, secret, long.MaxValue, backend);
        }
        finally
        {
            PacketKey.t_failSodiumImportsForTests = false;
        }

        using (fallbackKey)
        {
            Assert.Equal(reference, fallbackKey.Backend);
            byte[] bySodium = [.. payload, .. new byte[TagLength]];
            byte[] byFallback = [.. payload, .. new byte[TagLength]];
            sodiumKey.Seal(5, header, bySodium);
            fallbackKey.Seal(5, header, byFallback);
            Assert.Equal(bySodium, byFallback);
            Assert.True(fallbackKey.TryOpen(5, header, bySodium));
            Assert.Equal(payload, bySodium.AsSpan(0, payload.Length).ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(AvailablePairs))]
    public void Encrypt_SeparateTagBuffer_MatchesThePacketLayout(CipherSuite suite, AeadBackend backend)
    {
        var random = new Random(17);
        byte[] secret = RandomBytes(random, suite.HashLength());
        byte[] header = RandomBytes(random, 20);
        using var key = new PacketKey(suite, secret, long.MaxValue, backend);
        foreach (int length in new[] { 0, 1, 15, 16, 17, 1200, 1350 })
        {
            byte[] payload = RandomBytes(random, length);
            byte[] packet = [.. payload, .. new byte[TagLength]];
            key.Seal(42, header, packet);

            byte[] detached = payload.ToArray(), tag = new byte[TagLength];
            key.Encrypt(42, header, detached, tag);
            Assert.Equal(packet, (byte[])[.. detached, .. tag]);

            Assert.True(key.TryDecrypt(42, header, detached, tag));
            Assert.Equal(payload, detached);
        }

        Assert.Equal(14, key.EncryptedPackets);
    }

    [Theory]
    [MemberData(nameof(AvailablePairs))]
    public void TryOpen_TamperedCiphertextTagOrAssociatedData_ReturnsFalseAndCounts(CipherSuite suite, AeadBackend backend)
    {
        var random = new Random(23 + (int)backend);
        byte[] secret = RandomBytes(random, suite.HashLength());
        byte[] header = RandomBytes(random, 12);
        byte[] payload = RandomBytes(random, 200);
        using var key = new PacketKey(suite, secret, long.MaxValue, backend);
        byte[] sealedPacket = [.. payload, .. new byte[TagLength]];
        key.Seal(7, header, sealedPacket);

        for (int i = 0; i < 64; i++)
        {
            byte[] packet = sealedPacket.ToArray();
            byte[] associatedData = header.ToArray();
            switch (i % 4)
            {
                case 0: packet[random.Next(payload.Length)] ^= (byte)(1 << random.Next(8)); break;
                case 1: packet[payload.Length + random.Next(TagLength)] ^= (byte)(1 << random.Next(8)); break;
                case 2: associatedData[random.Next(associatedData.Length)] ^= (byte)(1 << random.Next(8)); break;
                default: Assert.False(key.TryOpen(8, associatedData, packet)); continue;
            }

            Assert.False(key.TryOpen(7, associatedData, packet));
        }

        Assert.Equal(64, key.FailedDecryptions);
        Assert.False(key.TryOpen(7, header, new byte[TagLength - 1]));
        byte[] intact = sealedPacket.ToArray();
        Assert.True(key.TryOpen(7, header, intact));
        Assert.Equal(payload, intact.AsSpan(0, payload.Length).ToArray());
        Assert.Equal(64, key.FailedDecryptions);
    }

    [Theory]
    [MemberData(nameof(AvailablePairs))]
    public void TryDecrypt_SeparateTagBufferTampered_ReturnsFalse(CipherSuite suite, AeadBackend backend)
    {
        using var key = new PacketKey(suite, new byte[suite.HashLength()], long.MaxValue, backend);
        byte[] payload = new byte[64], tag = new byte[TagLength];
        key.Encrypt(3, [1, 2, 3], payload, tag);
        tag[0] ^= 1;

        Assert.False(key.TryDecrypt(3, [1, 2, 3], payload, tag));
        Assert.Equal(1, key.FailedDecryptions);
    }

    [Theory]
    [MemberData(nameof(AvailablePairs))]
    public void NextPhase_KeepsTheBackend(CipherSuite suite, AeadBackend backend)
    {
        using var key = new PacketKey(suite, new byte[suite.HashLength()], long.MaxValue, backend);
        using PacketKey next = key.NextPhase();

        Assert.Equal(backend, next.Backend);
    }

    [Theory]
    [MemberData(nameof(AvailablePairs))]
    public void Disposed_SealAndOpenThrow(CipherSuite suite, AeadBackend backend)
    {
        var key = new PacketKey(suite, new byte[suite.HashLength()], long.MaxValue, backend);
        key.Dispose();
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => key.Seal(0, default, new byte[TagLength + 1]));
        Assert.Throws<ObjectDisposedException>(() => key.TryOpen(0, default, new byte[TagLength + 1]));
    }

    [Fact]
    public void Constructor_BackendOfAnotherSuite_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PacketKey(CipherSuite.TLS_AES_128_GCM_SHA256, new byte[32], long.MaxValue, AeadBackend.SodiumAes256Gcm));
        Assert.Throws<ArgumentException>(() => new PacketKey(CipherSuite.TLS_AES_256_GCM_SHA384, new byte[48], long.MaxValue, AeadBackend.SodiumChaCha20Poly1305));
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
