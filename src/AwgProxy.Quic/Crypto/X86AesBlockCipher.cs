using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace AwgProxy.Quic.Crypto;

/// <summary>
/// AES block encryption with AES-NI. AESENC performs one full round (ShiftRows, SubBytes, MixColumns,
/// AddRoundKey) and AESENCLAST the final round without MixColumns; the key schedule uses AESKEYGENASSIST.
/// </summary>
internal sealed class X86AesBlockCipher : AesBlockCipher
{
    private AesRoundKeys _roundKeys;
    private readonly int _rounds;

    public X86AesBlockCipher(ReadOnlySpan<byte> key)
    {
        _rounds = AesKeySchedule.Rounds(key.Length);
        ExpandKey(key, _roundKeys);
    }

    public override AesImplementation Implementation => AesImplementation.X86Aes;

    public override void EncryptBlock(ReadOnlySpan<byte> input, Span<byte> output)
    {
        CheckBlockArguments(input, output);
        Vector128<byte> state = Vector128.Create(input) ^ _roundKeys[0];
        for (int r = 1; r < _rounds; r++)
            state = X86Aes.Encrypt(state, _roundKeys[r]);
        state = X86Aes.EncryptLast(state, _roundKeys[_rounds]);
        state.CopyTo(output);
    }

    public override void Dispose() => ((Span<Vector128<byte>>)_roundKeys).Clear();

    /// <summary>
    /// FIPS-197 KeyExpansion with AESKEYGENASSIST. For an input of dwords [X0, X1, X2, X3] and constant rcon it
    /// returns [SubWord(X1), RotWord(SubWord(X1)) ^ rcon, SubWord(X3), RotWord(SubWord(X3)) ^ rcon].
    /// Each new round key is the running XOR of the four words of the round key Nk words back, XORed with
    /// the transformed last word of the previous round key broadcast to all lanes.
    /// </summary>
    internal static void ExpandKey(ReadOnlySpan<byte> key, Span<Vector128<byte>> roundKeys)
    {
        if (key.Length == 16)
        {
            Vector128<byte> k = Vector128.Create(key);
            roundKeys[0] = k;
            roundKeys[1] = k = Next128(k, X86Aes.KeygenAssist(k, 0x01));
            roundKeys[2] = k = Next128(k, X86Aes.KeygenAssist(k, 0x02));
            roundKeys[3] = k = Next128(k, X86Aes.KeygenAssist(k, 0x04));
            roundKeys[4] = k = Next128(k, X86Aes.KeygenAssist(k, 0x08));
            roundKeys[5] = k = Next128(k, X86Aes.KeygenAssist(k, 0x10));
            roundKeys[6] = k = Next128(k, X86Aes.KeygenAssist(k, 0x20));
            roundKeys[7] = k = Next128(k, X86Aes.KeygenAssist(k, 0x40));
            roundKeys[8] = k = Next128(k, X86Aes.KeygenAssist(k, 0x80));
            roundKeys[9] = k = Next128(k, X86Aes.KeygenAssist(k, 0x1b));
            roundKeys[10] = Next128(k, X86Aes.KeygenAssist(k, 0x36));
        }
        else if (key.Length == 32)
        {
            Vector128<byte> even = Vector128.Create(key);
            Vector128<byte> odd = Vector128.Create(key[16..]);
            roundKeys[0] = even;
            roundKeys[1] = odd;
            roundKeys[2] = even = NextEven256(even, X86Aes.KeygenAssist(odd, 0x01));
            roundKeys[3] = odd = NextOdd256(odd, X86Aes.KeygenAssist(even, 0x00));
            roundKeys[4] = even = NextEven256(even, X86Aes.KeygenAssist(odd, 0x02));
            roundKeys[5] = odd = NextOdd256(odd, X86Aes.KeygenAssist(even, 0x00));
            roundKeys[6] = even = NextEven256(even, X86Aes.KeygenAssist(odd, 0x04));
            roundKeys[7] = odd = NextOdd256(odd, X86Aes.KeygenAssist(even, 0x00));
            roundKeys[8] = even = NextEven256(even, X86Aes.KeygenAssist(odd, 0x08));
            roundKeys[9] = odd = NextOdd256(odd, X86Aes.KeygenAssist(even, 0x00));
            roundKeys[10] = even = NextEven256(even, X86Aes.KeygenAssist(odd, 0x10));
            roundKeys[11] = odd = NextOdd256(odd, X86Aes.KeygenAssist(even, 0x00));
            roundKeys[12] = even = NextEven256(even, X86Aes.KeygenAssist(odd, 0x20));
            roundKeys[13] = odd = NextOdd256(odd, X86Aes.KeygenAssist(even, 0x00));
            roundKeys[14] = NextEven256(even, X86Aes.KeygenAssist(odd, 0x40));
        }
        else
        {
            throw new ArgumentException("Only AES-128 and AES-256 keys are supported.", nameof(key));
        }
    }

    /// <summary>AES-128: lane 3 of the assist is SubWord(RotWord(w3)) ^ Rcon.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Next128(Vector128<byte> previous, Vector128<byte> assist) =>
        RunningXor(previous) ^ Sse2.Shuffle(assist.AsUInt32(), 0xFF).AsByte();

    /// <summary>AES-256, words i with i mod 8 = 0..3: lane 3 of the assist on the odd key is SubWord(RotWord(w[i-1])) ^ Rcon.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> NextEven256(Vector128<byte> twoBack, Vector128<byte> assist) =>
        RunningXor(twoBack) ^ Sse2.Shuffle(assist.AsUInt32(), 0xFF).AsByte();

    /// <summary>AES-256, words i with i mod 8 = 4..7: lane 2 of the assist on the even key is SubWord(w[i-1]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> NextOdd256(Vector128<byte> twoBack, Vector128<byte> assist) =>
        RunningXor(twoBack) ^ Sse2.Shuffle(assist.AsUInt32(), 0xAA).AsByte();

    /// <summary>[w0, w0^w1, w0^w1^w2, w0^w1^w2^w3] from [w0, w1, w2, w3].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> RunningXor(Vector128<byte> k)
    {
        k ^= Sse2.ShiftLeftLogical128BitLane(k, 4);
        return k ^ Sse2.ShiftLeftLogical128BitLane(k, 8);
    }
}
