using AwgProxy.Quic.Crypto;

namespace AwgProxy.Quic.Tests.Crypto;

/// <summary>RFC 9001 sections 5.3 (AEAD usage), 6 (key update) and 6.6 (AEAD limits).</summary>
public class PacketKeyTests
{
    public static TheoryData<CipherSuite> Suites() => new()
    {
        CipherSuite.TLS_AES_128_GCM_SHA256,
        CipherSuite.TLS_AES_256_GCM_SHA384,
        CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
    };

    private static byte[] RandomSecret(CipherSuite suite, int seed)
    {
        byte[] secret = new byte[suite.HashLength()];
        new Random(seed).NextBytes(secret);
        return secret;
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void EncryptThenDecrypt_InPlace_RoundTrips(CipherSuite suite)
    {
        byte[] secret = RandomSecret(suite, 1);
        using var sender = new PacketKey(suite, secret);
        using var receiver = new PacketKey(suite, secret);
        byte[] header = [0x41, 0x01, 0x02, 0x03, 0x04];
        byte[] payload = new byte[300];
        new Random(2).NextBytes(payload);
        byte[] buffer = payload.ToArray(), tag = new byte[16];

        sender.Encrypt(1234, header, buffer, tag);
        Assert.NotEqual(payload, buffer);
        Assert.True(receiver.TryDecrypt(1234, header, buffer, tag));

        Assert.Equal(payload, buffer);
        Assert.Equal(1, sender.EncryptedPackets);
        Assert.Equal(0, receiver.FailedDecryptions);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void TryDecrypt_TamperedInput_ReturnsFalseAndCountsFailure(CipherSuite suite)
    {
        byte[] secret = RandomSecret(suite, 3);
        using var key = new PacketKey(suite, secret);
        byte[] header = [0x41, 0x01, 0x02, 0x03];
        byte[] ciphertext = new byte[40], tag = new byte[16];
        key.Encrypt(77, header, ciphertext, tag);

        Assert.False(Decrypt(key, 77, header, ciphertext, tag, c => c[5] ^= 1));
        Assert.False(Decrypt(key, 77, header, ciphertext, tag, tagMutation: t => t[15] ^= 0x80));
        Assert.False(Decrypt(key, 77, [0x41, 0x01, 0x02, 0x07], ciphertext, tag));
        Assert.False(Decrypt(key, 78, header, ciphertext, tag));
        Assert.Equal(4, key.FailedDecryptions);
        Assert.True(Decrypt(key, 77, header, ciphertext, tag));
        Assert.Equal(4, key.FailedDecryptions);
    }

    private static bool Decrypt(PacketKey key, ulong pn, byte[] header, byte[] ciphertext, byte[] tag,
        Action<byte[]>? cipherMutation = null, Action<byte[]>? tagMutation = null)
    {
        byte[] c = ciphertext.ToArray(), t = tag.ToArray();
        cipherMutation?.Invoke(c);
        tagMutation?.Invoke(t);
        return key.TryDecrypt(pn, header, c, t);
    }

    [Fact]
    public void TryDecrypt_WrongKey_ReturnsFalse()
    {
        using var a = new PacketKey(CipherSuite.TLS_AES_128_GCM_SHA256, RandomSecret(CipherSuite.TLS_AES_128_GCM_SHA256, 4));
        using var b = new PacketKey(CipherSuite.TLS_AES_128_GCM_SHA256, RandomSecret(CipherSuite.TLS_AES_128_GCM_SHA256, 5));
        byte[] payload = new byte[10], tag = new byte[16];
        a.Encrypt(0, default, payload, tag);

        Assert.False(b.TryDecrypt(0, default, payload, tag));
        Assert.Equal(1, b.FailedDecryptions);
    }

    [Fact]
    public void Nonce_IsIvXorPacketNumber_SoPacketNumbersBeyond32BitsDiffer()
    {
        using var key = new PacketKey(CipherSuite.TLS_AES_128_GCM_SHA256, RandomSecret(CipherSuite.TLS_AES_128_GCM_SHA256, 6));
        byte[] low = new byte[16], high = new byte[16], tagLow = new byte[16], tagHigh = new byte[16];

        key.Encrypt(5, default, low, tagLow);
        key.Encrypt(5 | (1UL << 40), default, high, tagHigh);

        Assert.NotEqual(low, high);
        Assert.True(key.TryDecrypt(5 | (1UL << 40), default, high, tagHigh));
        Assert.Equal(new byte[16], high);
    }

    [Fact]
    public void PacketNumberAbove2Pow62_EncryptThrowsAndDecryptFails()
    {
        using var key = new PacketKey(CipherSuite.TLS_AES_128_GCM_SHA256, new byte[32]);
        byte[] payload = new byte[4], tag = new byte[16];

        Assert.Throws<ArgumentOutOfRangeException>(() => key.Encrypt(1UL << 62, default, payload, tag));
        Assert.False(key.TryDecrypt(1UL << 62, default, payload, tag));
    }

    [Fact]
    public void Encrypt_PastConfidentialityLimit_Throws()
    {
        using var key = new PacketKey(CipherSuite.TLS_AES_128_GCM_SHA256, new byte[32], confidentialityLimit: 3);
        byte[] payload = new byte[4], tag = new byte[16];

        for (ulong pn = 0; pn < 3; pn++)
        {
            Assert.False(key.IsConfidentialityLimitReached);
            key.Encrypt(pn, default, payload, tag);
        }

        Assert.True(key.IsConfidentialityLimitReached);
        Assert.Equal(3, key.EncryptedPackets);
        Assert.Throws<InvalidOperationException>(() => key.Encrypt(3, default, payload, tag));
        Assert.Equal(3, key.EncryptedPackets);
    }

    [Theory]
    [InlineData(CipherSuite.TLS_AES_128_GCM_SHA256, 1L << 23, 1L << 52)]
    [InlineData(CipherSuite.TLS_AES_256_GCM_SHA384, 1L << 23, 1L << 52)]
    [InlineData(CipherSuite.TLS_CHACHA20_POLY1305_SHA256, long.MaxValue, 1L << 36)]
    public void Limits_FollowRfc9001Section66(CipherSuite suite, long confidentiality, long integrity)
    {
        using var key = new PacketKey(suite, new byte[suite.HashLength()]);

        Assert.Equal(confidentiality, key.ConfidentialityLimit);
        Assert.Equal(integrity, key.IntegrityLimit);
        Assert.Equal(confidentiality, AeadLimits.ConfidentialityLimit(suite));
        Assert.Equal(integrity, AeadLimits.IntegrityLimit(suite));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void NextPhase_IsKeyOfQuicKuSecret(CipherSuite suite)
    {
        byte[] secret = RandomSecret(suite, 7);
        byte[] ku = new byte[suite.HashLength()];
        PacketProtectionKeyDerivation.DeriveNextSecret(suite, secret, ku);
        using var current = new PacketKey(suite, secret);
        using PacketKey next = current.NextPhase();
        using var expected = new PacketKey(suite, ku);
        byte[] payload = new byte[20], tag = new byte[16];

        next.Encrypt(9, default, payload, tag);

        Assert.Equal(suite, next.Suite);
        Assert.True(expected.TryDecrypt(9, default, payload, tag));
        Assert.False(current.TryDecrypt(9, default, payload.ToArray(), tag));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void EncryptAndDecrypt_AreAllocationFree(CipherSuite suite)
    {
        using var key = new PacketKey(suite, new byte[suite.HashLength()]);
        byte[] header = new byte[20], payload = new byte[1200], tag = new byte[16];
        key.Encrypt(0, header, payload, tag);
        key.TryDecrypt(0, header, payload, tag);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (ulong pn = 1; pn <= 100; pn++)
        {
            key.Encrypt(pn, header, payload, tag);
            key.TryDecrypt(pn, header, payload, tag);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Constructor_SecretOfWrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PacketKey(CipherSuite.TLS_AES_256_GCM_SHA384, new byte[32]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PacketKey((CipherSuite)0x1305, new byte[32]));
    }

    [Fact]
    public void Dispose_ThenUse_Throws()
    {
        var key = new PacketKey(CipherSuite.TLS_AES_128_GCM_SHA256, new byte[32]);
        key.Dispose();
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => key.Encrypt(0, default, new byte[1], new byte[16]));
        Assert.Throws<ObjectDisposedException>(() => key.TryDecrypt(0, default, new byte[1], new byte[16]));
        Assert.Throws<ObjectDisposedException>(() => key.NextPhase());
    }
}
