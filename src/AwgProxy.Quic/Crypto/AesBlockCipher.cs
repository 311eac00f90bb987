using System.Runtime.Intrinsics.X86;
using ArmAes = System.Runtime.Intrinsics.Arm.Aes;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace AwgProxy.Quic.Crypto;

/// <summary>How an <see cref="AesBlockCipher"/> encrypts a block.</summary>
internal enum AesImplementation
{
    /// <summary>AES-NI round instructions (x86/x64).</summary>
    X86Aes,

    /// <summary>ARMv8 Cryptography Extension round instructions (arm64, including Apple silicon).</summary>
    ArmAes,

    /// <summary>One reusable ECB <see cref="System.Security.Cryptography.ICryptoTransform"/> per key, for platforms without either.</summary>
    CryptoTransform,
}

/// <summary>
/// Single-block AES-128/AES-256 encryption (FIPS-197) with the key schedule computed once: the AES-ECB
/// call of RFC 9001 section 5.4.3 header protection, without a per-packet cipher setup.
/// Not thread-safe.
/// </summary>
internal abstract class AesBlockCipher : IDisposable
{
    public const int BlockLength = 16;

    /// <summary>The fastest implementation this machine runs.</summary>
    public static AesImplementation BestImplementation =>
        IsSupported(AesImplementation.X86Aes) ? AesImplementation.X86Aes
        : IsSupported(AesImplementation.ArmAes) ? AesImplementation.ArmAes
        : AesImplementation.CryptoTransform;

    public abstract AesImplementation Implementation { get; }

    public static bool IsSupported(AesImplementation implementation) => implementation switch
    {
        AesImplementation.X86Aes => X86Aes.IsSupported && Sse2.IsSupported,
        AesImplementation.ArmAes => ArmAes.IsSupported,
        AesImplementation.CryptoTransform => true,
        _ => false,
    };

    /// <summary>A cipher for a 16- or 32-byte <paramref name="key"/> using <see cref="BestImplementation"/>.</summary>
    public static AesBlockCipher Create(ReadOnlySpan<byte> key) => Create(key, BestImplementation);

    /// <summary>A cipher for a 16- or 32-byte <paramref name="key"/> using <paramref name="implementation"/>.</summary>
    /// <exception cref="PlatformNotSupportedException">This machine lacks <paramref name="implementation"/>.</exception>
    public static AesBlockCipher Create(ReadOnlySpan<byte> key, AesImplementation implementation)
    {
        if (key.Length is not (16 or 32))
            throw new ArgumentException("AES header protection keys are 16 or 32 bytes.", nameof(key));
        if (!IsSupported(implementation))
            throw new PlatformNotSupportedException($"{implementation} is not supported on this machine.");
        return implementation switch
        {
            AesImplementation.X86Aes => new X86AesBlockCipher(key),
            AesImplementation.ArmAes => new ArmAesBlockCipher(key),
            _ => new TransformAesBlockCipher(key),
        };
    }

    /// <summary>Encrypts one 16-byte block; <paramref name="input"/> and <paramref name="output"/> may be the same span.</summary>
    public abstract void EncryptBlock(ReadOnlySpan<byte> input, Span<byte> output);

    public abstract void Dispose();

    protected static void CheckBlockArguments(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (input.Length != BlockLength)
            throw new ArgumentException("AES encrypts 16-byte blocks.", nameof(input));
        if (output.Length < BlockLength)
            throw new ArgumentException("The output needs 16 bytes.", nameof(output));
    }
}
