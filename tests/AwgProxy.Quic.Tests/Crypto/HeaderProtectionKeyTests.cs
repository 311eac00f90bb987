using AwgProxy.Quic.Crypto;

namespace AwgProxy.Quic.Tests.Crypto;

/// <summary>RFC 9001 sections 5.4.3 and 5.4.4: header protection masks.</summary>
public class HeaderProtectionKeyTests
{
    [Theory]
    [InlineData(CipherSuite.TLS_AES_128_GCM_SHA256)]
    [InlineData(CipherSuite.TLS_AES_256_GCM_SHA384)]
    public void ComputeMask_IntrinsicAndFallbackPaths_ProduceIdenticalMasks(CipherSuite suite)
    {
        var random = new Random((int)suite);
        for (int trial = 0; trial < 100; trial++)
        {
            byte[] secret = new byte[suite.HashLength()];
            random.NextBytes(secret);
            using var best = new HeaderProtectionKey(suite, secret);
            using var fallback = new HeaderProtectionKey(suite, secret, AesImplementation.CryptoTransform);
            Assert.Equal(AesImplementation.CryptoTransform, fallback.AesImplementation);
            Assert.Equal(AesBlockCipher.BestImplementation, best.AesImplementation);

            for (int sampleIndex = 0; sampleIndex < 10; sampleIndex++)
            {
                byte[] sample = new byte[16];
                random.NextBytes(sample);
                byte[] expected = new byte[5], actual = new byte[5];
                fallback.ComputeMask(sample, expected);
                best.ComputeMask(sample, actual);
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void BestImplementation_OnMachinesWithAesInstructions_IsNotTheFallback()
    {
        bool hasInstructions = System.Runtime.Intrinsics.X86.Aes.IsSupported || System.Runtime.Intrinsics.Arm.Aes.IsSupported;

        Assert.Equal(hasInstructions, AesBlockCipher.BestImplementation != AesImplementation.CryptoTransform);
    }

    [Fact]
    public void ComputeMask_AesSuites_AreTheFirstFiveBytesOfAesEcb()
    {
        var random = new Random(11);
        byte[] secret = new byte[48];
        random.NextBytes(secret);
        byte[] hp = new byte[32];
        PacketProtectionKeyDerivation.DeriveHeaderProtectionKey(CipherSuite.TLS_AES_256_GCM_SHA384, secret, hp);
        using var key = new HeaderProtectionKey(CipherSuite.TLS_AES_256_GCM_SHA384, secret);
        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = hp;
        byte[] sample = new byte[16];
        random.NextBytes(sample);
        byte[] mask = new byte[8];

        key.ComputeMask(sample, mask);

        Assert.Equal(aes.EncryptEcb(sample, System.Security.Cryptography.PaddingMode.None).AsSpan(0, 5).ToArray(), mask.AsSpan(0, 5).ToArray());
        Assert.Equal(new byte[3], mask.AsSpan(5).ToArray());
    }

    [Fact]
    public void ComputeMask_ChaCha20_UsesSampleAsCounterAndNonce()
    {
        var random = new Random(12);
        byte[] secret = new byte[32];
        random.NextBytes(secret);
        byte[] hp = new byte[32];
        PacketProtectionKeyDerivation.DeriveHeaderProtectionKey(CipherSuite.TLS_CHACHA20_POLY1305_SHA256, secret, hp);
        using var key = new HeaderProtectionKey(CipherSuite.TLS_CHACHA20_POLY1305_SHA256, secret);
        byte[] sample = Convert.FromHexString("04030201" + "a0a1a2a3a4a5a6a7a8a9aaab");
        byte[] mask = new byte[5], block = new byte[64];

        key.ComputeMask(sample, mask);
        ChaCha20.Block(hp, 0x01020304, sample.AsSpan(4), block);

        Assert.Equal(block.AsSpan(0, 5).ToArray(), mask);
        Assert.Null(key.AesImplementation);
    }

    [Theory]
    [InlineData(CipherSuite.TLS_AES_128_GCM_SHA256)]
    [InlineData(CipherSuite.TLS_AES_256_GCM_SHA384)]
    [InlineData(CipherSuite.TLS_CHACHA20_POLY1305_SHA256)]
    public void ComputeMask_IsAllocationFree(CipherSuite suite)
    {
        using var key = new HeaderProtectionKey(suite, new byte[suite.HashLength()]);
        byte[] sample = new byte[16], mask = new byte[5];
        key.ComputeMask(sample, mask);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
            key.ComputeMask(sample, mask);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ComputeMask_WrongSpanLengths_Throw()
    {
        using var key = new HeaderProtectionKey(CipherSuite.TLS_AES_128_GCM_SHA256, new byte[32]);

        Assert.Throws<ArgumentException>(() => key.ComputeMask(new byte[15], new byte[5]));
        Assert.Throws<ArgumentException>(() => key.ComputeMask(new byte[17], new byte[5]));
        Assert.Throws<ArgumentException>(() => key.ComputeMask(new byte[16], new byte[4]));
    }

    [Theory]
    [InlineData(CipherSuite.TLS_AES_128_GCM_SHA256, 48)]
    [InlineData(CipherSuite.TLS_AES_256_GCM_SHA384, 32)]
    [InlineData((CipherSuite)0x1304, 32)]
    public void Constructor_SecretOfWrongLengthOrUnknownSuite_Throws(CipherSuite suite, int secretLength)
    {
        Assert.ThrowsAny<ArgumentException>(() => new HeaderProtectionKey(suite, new byte[secretLength]));
    }

    [Fact]
    public void Dispose_ThenComputeMask_Throws()
    {
        var key = new HeaderProtectionKey(CipherSuite.TLS_CHACHA20_POLY1305_SHA256, new byte[32]);
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => key.ComputeMask(new byte[16], new byte[5]));
    }
}
