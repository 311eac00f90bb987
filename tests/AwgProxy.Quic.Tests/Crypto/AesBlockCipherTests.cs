using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using AwgProxy.Quic.Crypto;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace AwgProxy.Quic.Tests.Crypto;

/// <summary>FIPS-197 single-block AES behind AES header protection, for every implementation this machine runs.</summary>
public class AesBlockCipherTests
{
    /// <summary>Names of the supported implementations (the enum is internal, theory parameters are public).</summary>
    public static TheoryData<string> Implementations()
    {
        var data = new TheoryData<string>();
        foreach (AesImplementation implementation in AesImplementations.Supported)
            data.Add(implementation.ToString());
        return data;
    }

    [Fact]
    public void Supported_IncludesPortableFallbackAndAnInstructionSetWhereAvailable()
    {
        Assert.Contains(AesImplementation.CryptoTransform, AesImplementations.Supported);
        Assert.Equal(X86Aes.IsSupported, AesImplementations.Supported.Contains(AesImplementation.X86Aes));
        Assert.Equal(System.Runtime.Intrinsics.Arm.Aes.IsSupported, AesImplementations.Supported.Contains(AesImplementation.ArmAes));
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void EncryptBlock_Fips197AppendixC1Aes128_MatchesCiphertext(string implementationName)
    {
        AesImplementation implementation = Enum.Parse<AesImplementation>(implementationName);
        using AesBlockCipher cipher = AesBlockCipher.Create(Convert.FromHexString("000102030405060708090a0b0c0d0e0f"), implementation);
        byte[] output = new byte[16];

        cipher.EncryptBlock(Convert.FromHexString("00112233445566778899aabbccddeeff"), output);

        Assert.Equal("69c4e0d86a7b0430d8cdb78070b4c55a", Convert.ToHexStringLower(output));
        Assert.Equal(implementation, cipher.Implementation);
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void EncryptBlock_Fips197AppendixC3Aes256_MatchesCiphertext(string implementationName)
    {
        AesImplementation implementation = Enum.Parse<AesImplementation>(implementationName);
        using AesBlockCipher cipher = AesBlockCipher.Create(
            Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"), implementation);
        byte[] output = new byte[16];

        cipher.EncryptBlock(Convert.FromHexString("00112233445566778899aabbccddeeff"), output);

        Assert.Equal("8ea2b7ca516745bfeafc49904b496089", Convert.ToHexStringLower(output));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    public void EncryptBlock_RandomKeysAndBlocks_AllImplementationsMatchPlatformEcb(int keyLength)
    {
        var random = new Random(197 + keyLength);
        for (int trial = 0; trial < 200; trial++)
        {
            byte[] key = new byte[keyLength], block = new byte[16];
            random.NextBytes(key);
            random.NextBytes(block);
            using var aes = Aes.Create();
            aes.Key = key;
            byte[] expected = aes.EncryptEcb(block, PaddingMode.None);

            foreach (AesImplementation implementation in AesImplementations.Supported)
            {
                using AesBlockCipher cipher = AesBlockCipher.Create(key, implementation);
                byte[] output = new byte[16];
                cipher.EncryptBlock(block, output);
                Assert.Equal(expected, output);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void EncryptBlock_SameSpanForInputAndOutput_Works(string implementationName)
    {
        AesImplementation implementation = Enum.Parse<AesImplementation>(implementationName);
        using AesBlockCipher cipher = AesBlockCipher.Create(Convert.FromHexString("000102030405060708090a0b0c0d0e0f"), implementation);
        byte[] buffer = Convert.FromHexString("00112233445566778899aabbccddeeff");

        cipher.EncryptBlock(buffer, buffer);

        Assert.Equal("69c4e0d86a7b0430d8cdb78070b4c55a", Convert.ToHexStringLower(buffer));
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void EncryptBlock_IsAllocationFree(string implementationName)
    {
        AesImplementation implementation = Enum.Parse<AesImplementation>(implementationName);
        using AesBlockCipher cipher = AesBlockCipher.Create(new byte[32], implementation);
        byte[] block = new byte[16];
        cipher.EncryptBlock(block, block);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
            cipher.EncryptBlock(block, block);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(24)]
    [InlineData(33)]
    public void Create_UnsupportedKeyLength_Throws(int keyLength)
    {
        Assert.Throws<ArgumentException>(() => AesBlockCipher.Create(new byte[keyLength]));
    }

    [Fact]
    public void Create_InstructionSetMissingOnThisMachine_ThrowsPlatformNotSupported()
    {
        foreach (AesImplementation implementation in Enum.GetValues<AesImplementation>().Where(i => !AesBlockCipher.IsSupported(i)))
            Assert.Throws<PlatformNotSupportedException>(() => AesBlockCipher.Create(new byte[16], implementation));
    }

    [Fact]
    public void KeySchedule_Fips197AppendixA1_Aes128RoundKeysMatch()
    {
        Vector128<byte>[] roundKeys = new Vector128<byte>[11];

        AesKeySchedule.Expand<ReferenceSubWord>(Convert.FromHexString("2b7e151628aed2a6abf7158809cf4f3c"), roundKeys);

        Assert.Equal("a0fafe1788542cb123a339392a6c7605", Hex(roundKeys[1]));
        Assert.Equal("d014f9a8c9ee2589e13f0cc8b6630ca6", Hex(roundKeys[10]));
    }

    [Fact]
    public void KeySchedule_Fips197AppendixA3_Aes256RoundKeysMatch()
    {
        Vector128<byte>[] roundKeys = new Vector128<byte>[15];

        AesKeySchedule.Expand<ReferenceSubWord>(
            Convert.FromHexString("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"), roundKeys);

        Assert.Equal("9ba354118e6925afa51a8b5f2067fcde", Hex(roundKeys[2]));
        Assert.Equal("fe4890d1e6188d0b046df344706c631e", Hex(roundKeys[14]));
    }

    [Fact]
    public void X86KeyExpansion_MatchesWordKeySchedule()
    {
        if (!X86Aes.IsSupported)
        {
            Assert.Throws<PlatformNotSupportedException>(() => AesBlockCipher.Create(new byte[16], AesImplementation.X86Aes));
            return;
        }

        var random = new Random(5);
        foreach (int keyLength in new[] { 16, 32 })
        {
            for (int trial = 0; trial < 100; trial++)
            {
                byte[] key = new byte[keyLength];
                random.NextBytes(key);
                int count = AesKeySchedule.Rounds(keyLength) + 1;
                Vector128<byte>[] words = new Vector128<byte>[count], assisted = new Vector128<byte>[count];

                AesKeySchedule.Expand<ReferenceSubWord>(key, words);
                X86AesBlockCipher.ExpandKey(key, assisted);

                Assert.Equal(words, assisted);
            }
        }
    }

    private static string Hex(Vector128<byte> v)
    {
        byte[] bytes = new byte[16];
        v.CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>
    /// SubWord from the S-box definition (FIPS-197 section 5.1.1): the multiplicative inverse in GF(2^8)
    /// followed by the affine transformation. Slow and table-driven, for tests only.
    /// </summary>
    private readonly struct ReferenceSubWord : IAesSubWord
    {
        private static readonly byte[] SBox = BuildSBox();

        public static uint SubWord(uint word) =>
            SBox[word & 0xff] | ((uint)SBox[(word >> 8) & 0xff] << 8) | ((uint)SBox[(word >> 16) & 0xff] << 16) | ((uint)SBox[word >> 24] << 24);

        private static byte[] BuildSBox()
        {
            byte[] box = new byte[256];
            for (int x = 0; x < 256; x++)
            {
                int inverse = 0;
                for (int y = 1; y < 256 && x != 0; y++)
                {
                    if (Multiply(x, y) == 1) { inverse = y; break; }
                }
                int b = inverse, s = 0x63;
                for (int i = 0; i < 5; i++)
                    s ^= ((b << i) | (b >> (8 - i))) & 0xff;
                box[x] = (byte)s;
            }
            return box;
        }

        private static int Multiply(int a, int b)
        {
            int product = 0;
            for (int i = 0; i < 8; i++)
            {
                if ((b & 1) != 0) product ^= a;
                bool carry = (a & 0x80) != 0;
                a = (a << 1) & 0xff;
                if (carry) a ^= 0x1b;
                b >>= 1;
            }
            return product;
        }
    }
}
