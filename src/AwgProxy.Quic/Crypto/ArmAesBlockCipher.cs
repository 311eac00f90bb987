using System.Runtime.Intrinsics;
using ArmAes = System.Runtime.Intrinsics.Arm.Aes;

namespace AwgProxy.Quic.Crypto;

/// <summary>
/// AES block encryption with the ARMv8 Cryptography Extension. AESE computes SubBytes(ShiftRows(state ^ key))
/// and AESMC computes MixColumns, so round r is AESMC(AESE(state, K[r-1])) and the last round is
/// AESE(state, K[Nr-1]) ^ K[Nr]: the same FIPS-197 cipher with AddRoundKey moved to the start of each round.
/// </summary>
internal sealed class ArmAesBlockCipher : AesBlockCipher
{
    private AesRoundKeys _roundKeys;
    private readonly int _rounds;

    public ArmAesBlockCipher(ReadOnlySpan<byte> key)
    {
        _rounds = AesKeySchedule.Rounds(key.Length);
        AesKeySchedule.Expand<ArmSubWord>(key, _roundKeys);
    }

    public override AesImplementation Implementation => AesImplementation.ArmAes;

    public override void EncryptBlock(ReadOnlySpan<byte> input, Span<byte> output)
    {
        CheckBlockArguments(input, output);
        Vector128<byte> state = Vector128.Create(input);
        for (int r = 0; r < _rounds - 1; r++)
            state = ArmAes.MixColumns(ArmAes.Encrypt(state, _roundKeys[r]));
        state = ArmAes.Encrypt(state, _roundKeys[_rounds - 1]) ^ _roundKeys[_rounds];
        state.CopyTo(output);
    }

    public override void Dispose() => ((Span<Vector128<byte>>)_roundKeys).Clear();

    /// <summary>
    /// SubWord through AESE with a zero round key: with the word copied into all four columns, every row holds
    /// one repeated byte, so ShiftRows changes nothing and column 0 comes out as SubWord(word).
    /// </summary>
    private readonly struct ArmSubWord : IAesSubWord
    {
        public static uint SubWord(uint word) =>
            ArmAes.Encrypt(Vector128.Create(word).AsByte(), Vector128<byte>.Zero).AsUInt32().ToScalar();
    }
}
