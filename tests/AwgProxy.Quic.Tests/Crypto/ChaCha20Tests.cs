using System.Security.Cryptography;
using AwgProxy.Quic.Crypto;

namespace AwgProxy.Quic.Tests.Crypto;

/// <summary>RFC 8439 section 2.3, the ChaCha20 block function.</summary>
public class ChaCha20Tests
{
    private static byte[] Rfc8439Key()
    {
        byte[] key = new byte[32];
        for (int i = 0; i < key.Length; i++) key[i] = (byte)i;
        return key;
    }

    [Fact]
    public void Block_Rfc8439Section232_MatchesSerializedBlock()
    {
        // Key 00:01:..:1f, nonce 00:00:00:09:00:00:00:4a:00:00:00:00, block count 1.
        byte[] nonce = Convert.FromHexString("000000090000004a00000000");
        byte[] block = new byte[64];

        ChaCha20.Block(Rfc8439Key(), 1, nonce, block);

        Assert.Equal(
            "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
            + "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e",
            Convert.ToHexStringLower(block));
    }

    [Fact]
    public void Block_ShortOutput_IsPrefixOfFullBlock()
    {
        byte[] nonce = Convert.FromHexString("000000090000004a00000000");
        byte[] full = new byte[64];
        ChaCha20.Block(Rfc8439Key(), 1, nonce, full);

        for (int length = 1; length < 64; length++)
        {
            byte[] prefix = new byte[length];
            ChaCha20.Block(Rfc8439Key(), 1, nonce, prefix);
            Assert.Equal(full.AsSpan(0, length).ToArray(), prefix);
        }
    }

    [Fact]
    public void Block_RandomInputs_MatchPlatformChaCha20Poly1305Keystream()
    {
        // AEAD_CHACHA20_POLY1305 (RFC 8439 section 2.8) encrypts with block counts 1, 2, ... so the
        // ciphertext of zero bytes is the keystream from block 1 on.
        var random = new Random(8439);
        for (int trial = 0; trial < 50; trial++)
        {
            byte[] key = new byte[32], nonce = new byte[12];
            random.NextBytes(key);
            random.NextBytes(nonce);
            byte[] keystream = new byte[128], tag = new byte[16];
            using (var aead = new ChaCha20Poly1305(key))
                aead.Encrypt(nonce, new byte[128], keystream, tag);

            byte[] block1 = new byte[64], block2 = new byte[64];
            ChaCha20.Block(key, 1, nonce, block1);
            ChaCha20.Block(key, 2, nonce, block2);

            Assert.Equal(keystream.AsSpan(0, 64).ToArray(), block1);
            Assert.Equal(keystream.AsSpan(64, 64).ToArray(), block2);
        }
    }

    [Fact]
    public void BlockScalarAndVectorized_AgreeForEveryOutputLength()
    {
        // Block uses one of the two; both must produce the RFC 8439 block, including the counter wrap.
        var random = new Random(4439);
        byte[] key = new byte[32], nonce = new byte[12];
        for (int trial = 0; trial < 200; trial++)
        {
            random.NextBytes(key);
            random.NextBytes(nonce);
            uint counter = trial == 0 ? uint.MaxValue : (uint)random.NextInt64(0, 1L << 32);
            int length = 1 + (trial % ChaCha20.BlockLength);
            byte[] scalar = new byte[length], vectorized = new byte[length], dispatched = new byte[length];
            ChaCha20.BlockScalar(key, counter, nonce, scalar);
            ChaCha20.BlockVectorized(key, counter, nonce, vectorized);
            ChaCha20.Block(key, counter, nonce, dispatched);
            Assert.Equal(scalar, vectorized);
            Assert.Equal(scalar, dispatched);
        }
    }

    [Fact]
    public void Block_CounterWrapsWithoutCarryIntoNonce()
    {
        byte[] key = Rfc8439Key();
        byte[] nonce = new byte[12];
        byte[] max = new byte[64], zero = new byte[64];

        ChaCha20.Block(key, uint.MaxValue, nonce, max);
        ChaCha20.Block(key, 0, nonce, zero);

        Assert.NotEqual(zero, max);
    }

    [Theory]
    [InlineData(31, 12, 64)]
    [InlineData(32, 11, 64)]
    [InlineData(32, 12, 0)]
    [InlineData(32, 12, 65)]
    public void Block_WrongLengths_Throw(int keyLength, int nonceLength, int outputLength)
    {
        Assert.Throws<ArgumentException>(() => ChaCha20.Block(new byte[keyLength], 0, new byte[nonceLength], new byte[outputLength]));
    }
}
