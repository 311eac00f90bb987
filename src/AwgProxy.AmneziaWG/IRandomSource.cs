namespace AwgProxy.AmneziaWG;

/// <summary>
/// The random bytes the obfuscation draws: the port's stand-in for Go's <c>crypto/rand.Reader</c>.
/// Every draw in this library goes through one instance in a fixed order, so a deterministic source
/// reproduces amneziawg-go's output byte for byte (see UPSTREAM.md).
/// </summary>
public interface IRandomSource
{
    /// <summary>Fills <paramref name="buffer"/> with the next random bytes; an empty buffer takes nothing.</summary>
    void Read(Span<byte> buffer);
}
