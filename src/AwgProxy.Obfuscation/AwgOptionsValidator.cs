using Microsoft.Extensions.Options;

namespace AwgProxy.Obfuscation;

/// <summary>
/// Validates <see cref="AwgOptions"/> in one pass and reports every problem, each naming the key
/// and its value:
/// <list type="bullet">
/// <item>Jc, Jmin, Jmax, S1..S4 negative; Jc above <see cref="MaxJc"/>; Jmin greater than Jmax;
/// Jmax larger than the wire MTU (a junk packet that would be fragmented).</item>
/// <item>H1..H4 that do not parse (upstream's messages), the full range 0-4294967295 (upstream
/// crashes drawing from it), and every pair of overlapping ranges (both keys named), unset ones
/// counting as 1, 2, 3, 4.</item>
/// <item>I1..I5 whose tag chain does not parse (one message per problem, each naming the tag),
/// including lengths upstream accepts and then crashes on; and I-packets longer than the wire MTU.</item>
/// <item>S1..S4 that leave a class unable to carry a 1200-byte QUIC datagram (<see cref="WireSizeBudget"/>).</item>
/// </list>
/// The rules are <see cref="AwgProfile.TryCreate"/>'s, so what validates also compiles.
/// </summary>
public sealed class AwgOptionsValidator : IValidateOptions<AwgOptions>
{
    /// <summary>
    /// The most junk packets allowed before one handshake attempt. Upstream has no bound (it would
    /// loop for ever on 2^63-1) and recommends 4-12; 128 keeps every burst small next to a
    /// connection's traffic while leaving room to experiment.
    /// </summary>
    public const int MaxJc = 128;

    private readonly int _wireMtu;

    /// <summary>Validates for the default IPv4 wire MTU (<see cref="WireSizeBudget.DefaultIPv4WireMtu"/>).</summary>
    public AwgOptionsValidator()
        : this(WireSizeBudget.DefaultIPv4WireMtu)
    {
    }

    /// <summary>Validates for a path whose largest UDP payload is <paramref name="wireMtu"/> bytes.</summary>
    public AwgOptionsValidator(int wireMtu)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(wireMtu, WireSizeBudget.MinQuicDatagramSize + WireSizeBudget.HeaderSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(wireMtu, AmneziaWG.AwgLimits.MaxUdpPayload);
        _wireMtu = wireMtu;
    }

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, AwgOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return AwgProfile.TryCreate(options, _wireMtu, out _, out var failures)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(failures);
    }
}
