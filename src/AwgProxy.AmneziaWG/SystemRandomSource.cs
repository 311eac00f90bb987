using System.Security.Cryptography;

namespace AwgProxy.AmneziaWG;

/// <summary>The production <see cref="IRandomSource"/>: the operating system's CSPRNG.</summary>
public sealed class SystemRandomSource : IRandomSource
{
    private SystemRandomSource()
    {
    }

    /// <summary>The one instance; it is stateless and thread-safe.</summary>
    public static SystemRandomSource Instance { get; } = new();

    /// <inheritdoc/>
    public void Read(Span<byte> buffer) => RandomNumberGenerator.Fill(buffer);
}
