using AwgProxy.Quic.Crypto;

namespace AwgProxy.Quic.Tests.Crypto;

internal static class AesImplementations
{
    /// <summary>Every AES block implementation this machine runs: always the portable one, plus AES-NI or ARMv8 AES.</summary>
    public static IReadOnlyList<AesImplementation> Supported { get; } =
        Enum.GetValues<AesImplementation>().Where(AesBlockCipher.IsSupported).ToArray();
}
