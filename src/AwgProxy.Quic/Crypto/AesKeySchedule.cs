using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace AwgProxy.Quic.Crypto;

/// <summary>Up to 15 AES round keys (AES-256 has 14 rounds), stored inline in the owning cipher.</summary>
[InlineArray(AesKeySchedule.MaxRoundKeys)]
internal struct AesRoundKeys
{
    private Vector128<byte> _element0;
}

/// <summary>
/// The S-box step of the key expansion, supplied by an instruction set so the schedule needs no lookup table.
/// A word holds four bytes in memory order (byte 0 in the low bits).
/// </summary>
internal interface IAesSubWord
{
    /// <summary>FIPS-197 SubWord: the S-box applied to each of the four bytes.</summary>
    static abstract uint SubWord(uint word);
}

/// <summary>
/// FIPS-197 section 5.2, KeyExpansion, written once over words for any <see cref="IAesSubWord"/>:
/// <code>
/// w[i] = key word i                                   for i &lt; Nk
/// temp = w[i-1]
/// if i mod Nk = 0:          temp = SubWord(RotWord(temp)) xor Rcon[i/Nk]
/// else if Nk &gt; 6 and i mod Nk = 4: temp = SubWord(temp)
/// w[i] = w[i-Nk] xor temp                             for Nk &lt;= i &lt; 4 * (Nr + 1)
/// </code>
/// Words are read little-endian, so each word's bytes stay in memory order: RotWord is a rotation right by
/// 8 bits and Rcon is XORed into the low byte.
/// </summary>
internal static class AesKeySchedule
{
    public const int MaxRoundKeys = 15;

    /// <summary>Nr: 10 rounds for AES-128, 14 for AES-256.</summary>
    public static int Rounds(int keyLength) => keyLength == 32 ? 14 : 10;

    /// <summary>Writes Nr + 1 round keys for a 16- or 32-byte key.</summary>
    public static void Expand<TSubWord>(ReadOnlySpan<byte> key, Span<Vector128<byte>> roundKeys)
        where TSubWord : IAesSubWord
    {
        if (key.Length is not (16 or 32))
            throw new ArgumentException("Only AES-128 and AES-256 keys are supported.", nameof(key));
        int nk = key.Length / 4;
        int rounds = Rounds(key.Length);
        int totalWords = 4 * (rounds + 1);
        if (roundKeys.Length < rounds + 1)
            throw new ArgumentException($"{rounds + 1} round keys are needed.", nameof(roundKeys));

        Span<uint> w = stackalloc uint[4 * MaxRoundKeys];
        try
        {
            for (int i = 0; i < nk; i++)
                w[i] = BinaryPrimitives.ReadUInt32LittleEndian(key[(4 * i)..]);

            uint rcon = 0x01;
            for (int i = nk; i < totalWords; i++)
            {
                uint temp = w[i - 1];
                if (i % nk == 0)
                {
                    temp = TSubWord.SubWord(BitOperations.RotateRight(temp, 8)) ^ rcon;
                    rcon = MultiplyByX(rcon);
                }
                else if (nk > 6 && i % nk == 4)
                {
                    temp = TSubWord.SubWord(temp);
                }
                w[i] = w[i - nk] ^ temp;
            }

            for (int r = 0; r <= rounds; r++)
                roundKeys[r] = Vector128.Create(w[4 * r], w[4 * r + 1], w[4 * r + 2], w[4 * r + 3]).AsByte();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(w));
        }
    }

    /// <summary>FIPS-197 section 4.2.1, xtime: multiplication by x in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1.</summary>
    private static uint MultiplyByX(uint b) => ((b << 1) ^ ((b >> 7) * 0x1b)) & 0xff;
}
