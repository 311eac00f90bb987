using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using AwgProxy.AmneziaWG;
using AwgProxy.AmneziaWG.Device;

namespace AwgProxy.Obfuscation;

/// <summary>
/// The compiled, immutable form of validated <see cref="AwgOptions"/>: parsed header ranges and
/// I-packet chains, the junk and padding sizes, and the <see cref="WireSizeBudget"/> for one wire
/// MTU. This is what the envelope uses; build it once at start-up.
/// </summary>
public sealed class AwgProfile
{
    private readonly MagicHeader[] _headers;
    private readonly int[] _paddings;

    private AwgProfile(AwgOptions options, MagicHeader[] headers, ObfChain?[] ipackets, WireSizeBudget budget)
    {
        Jc = options.Jc;
        Jmin = options.Jmin;
        Jmax = options.Jmax;
        _paddings = [options.S1, options.S2, options.S3, options.S4];
        _headers = headers;
        IPackets = ipackets;
        Budget = budget;
    }

    /// <summary>Junk packets before every handshake initiation.</summary>
    public int Jc { get; }

    /// <summary>Smallest junk packet.</summary>
    public int Jmin { get; }

    /// <summary>Largest junk packet.</summary>
    public int Jmax { get; }

    /// <summary>I1..I5 in order; null where unset.</summary>
    public IReadOnlyList<ObfChain?> IPackets { get; }

    /// <summary>Sizes for the wire MTU the profile was built for.</summary>
    public WireSizeBudget Budget { get; }

    /// <summary>S_k for a message class.</summary>
    public int Padding(AwgMessageClass messageClass) => _paddings[(int)messageClass - 1];

    /// <summary>H_k for a message class.</summary>
    public MagicHeader Header(AwgMessageClass messageClass) => _headers[(int)messageClass - 1];

    /// <summary>
    /// Validates <paramref name="options"/> for a path of <paramref name="wireMtu"/> bytes and
    /// compiles them. Every problem is reported, each naming the key and its value; see
    /// <see cref="AwgOptionsValidator"/> for the rules.
    /// </summary>
    public static bool TryCreate(
        AwgOptions options,
        int wireMtu,
        [NotNullWhen(true)] out AwgProfile? profile,
        out IReadOnlyList<string> failures)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(wireMtu);
        var errors = new List<string>();

        CheckNonNegative(errors, "Jc", options.Jc);
        CheckNonNegative(errors, "Jmin", options.Jmin);
        CheckNonNegative(errors, "Jmax", options.Jmax);
        if (options.Jc > AwgOptionsValidator.MaxJc)
        {
            errors.Add(Format($"Jc = {options.Jc}: more than {AwgOptionsValidator.MaxJc} junk packets before every handshake attempt (upstream recommends 4-12)"));
        }

        if (options.Jmin > options.Jmax)
        {
            errors.Add(Format($"Jmin = {options.Jmin} is greater than Jmax = {options.Jmax}"));
        }

        if (options.Jmax > wireMtu)
        {
            errors.Add(Format($"Jmax = {options.Jmax}: a junk packet could exceed the {wireMtu}-byte wire MTU and be fragmented"));
        }

        CheckNonNegative(errors, "S1", options.S1);
        CheckNonNegative(errors, "S2", options.S2);
        CheckNonNegative(errors, "S3", options.S3);
        CheckNonNegative(errors, "S4", options.S4);

        var headers = new MagicHeader?[4];
        string?[] headerSpecs = [options.H1, options.H2, options.H3, options.H4];
        for (var k = 0; k < 4; k++)
        {
            var key = $"H{k + 1}";
            var spec = string.IsNullOrEmpty(headerSpecs[k]) ? (k + 1).ToString(CultureInfo.InvariantCulture) : headerSpecs[k]!;
            if (MagicHeader.TryParse(spec, out var header, out var error))
            {
                headers[k] = header;
            }
            else
            {
                errors.Add($"{key} = '{spec}': {error}");
            }
        }

        for (var i = 0; i < 4; i++)
        {
            for (var j = i + 1; j < 4; j++)
            {
                if (headers[i] is { } left && headers[j] is { } right && left.Start <= right.End && right.Start <= left.End)
                {
                    errors.Add($"H{i + 1} = '{left.GenSpec()}' overlaps H{j + 1} = '{right.GenSpec()}': header ranges must not overlap");
                }
            }
        }

        var ipackets = new ObfChain?[5];
        string?[] ipacketSpecs = [options.I1, options.I2, options.I3, options.I4, options.I5];
        for (var k = 0; k < 5; k++)
        {
            var spec = ipacketSpecs[k];
            if (string.IsNullOrEmpty(spec))
            {
                continue;
            }

            var key = $"I{k + 1}";
            if (!ObfChain.TryParse(spec, out var chain, out var error))
            {
                errors.AddRange(error.Split('\n').Select(line => $"{key} = '{spec}': {line}"));
                continue;
            }

            var length = chain.ObfuscatedLen(0);
            if (length > wireMtu)
            {
                errors.Add(Format($"{key} = '{spec}': the packet is {length} bytes, more than the {wireMtu}-byte wire MTU"));
                continue;
            }

            ipackets[k] = chain;
        }

        var budget = new WireSizeBudget(wireMtu, options.S1, options.S2, options.S3, options.S4);
        errors.AddRange(budget.Validate());

        failures = errors;
        if (errors.Count > 0)
        {
            profile = null;
            return false;
        }

        profile = new AwgProfile(options, [.. headers.Select(h => h!)], ipackets, budget);
        return true;
    }

    /// <summary>Like <see cref="TryCreate"/> but throws.</summary>
    /// <exception cref="AwgValidationException">The options are invalid; the message lists every problem, one per line.</exception>
    public static AwgProfile Create(AwgOptions options, int wireMtu = WireSizeBudget.DefaultIPv4WireMtu) =>
        TryCreate(options, wireMtu, out var profile, out var failures)
            ? profile
            : throw new AwgValidationException(string.Join('\n', failures));

    /// <summary>
    /// A fresh AmneziaWG device state holding this profile, for
    /// <see cref="Send.SendHandshakeInitiation"/> and the other upstream-shaped functions.
    /// </summary>
    public DeviceState CreateDeviceState()
    {
        var device = new DeviceState();
        device.Junk.Count = Jc;
        device.Junk.Min = Jmin;
        device.Junk.Max = Jmax;
        device.Paddings.Init = _paddings[0];
        device.Paddings.Response = _paddings[1];
        device.Paddings.Cookie = _paddings[2];
        device.Paddings.Transport = _paddings[3];
        device.Headers.Init = _headers[0];
        device.Headers.Response = _headers[1];
        device.Headers.Cookie = _headers[2];
        device.Headers.Transport = _headers[3];
        for (var k = 0; k < IPackets.Count; k++)
        {
            device.IPackets[k] = IPackets[k];
        }

        return device;
    }

    private static void CheckNonNegative(List<string> errors, string key, int value)
    {
        if (value < 0)
        {
            errors.Add(Format($"{key} = {value}: must not be negative"));
        }
    }

    private static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
