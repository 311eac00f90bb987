using System.Globalization;

namespace AwgProxy.Obfuscation;

/// <summary>
/// How much QUIC fits in one UDP datagram once the AWG envelope is added
/// (../shared/design/envelope.md, "Sizes"). A datagram of class k is
/// <c>[S_k random bytes][4-byte header from H_k][QUIC datagram]</c>, so it costs S_k + 4 bytes of
/// the wire MTU (the largest UDP payload the path carries).
/// <para>
/// The rule: every class must still carry a 1200-byte QUIC datagram. RFC 9000 §14 forbids QUIC on a
/// path whose maximum datagram size is below 1200 bytes, and §14.1 requires client Initial datagrams
/// (class 1) and server datagrams with ack-eliciting Initial packets (class 2) to be padded to at
/// least 1200 bytes; 1-RTT packets and path MTU probes (class 4) and Retry (class 3) travel the same
/// path, and QUIC has one maximum datagram size for all of them. So
/// <see cref="MaxQuicDatagramSize"/> = wire MTU − max_k(S_k + 4), and it must be at least 1200;
/// each class that falls short is reported with its numbers.
/// </para>
/// </summary>
public sealed class WireSizeBudget
{
    /// <summary>Default wire MTU over IPv4: 1500-byte Ethernet MTU − 20 (IPv4) − 8 (UDP).</summary>
    public const int DefaultIPv4WireMtu = 1472;

    /// <summary>Default wire MTU over IPv6: 1500 − 40 (IPv6) − 8 (UDP).</summary>
    public const int DefaultIPv6WireMtu = 1452;

    /// <summary>The AWG header in front of every QUIC datagram: a 4-byte little-endian value from H_k.</summary>
    public const int HeaderSize = 4;

    /// <summary>RFC 9000 §14: the smallest maximum datagram size QUIC may run with.</summary>
    public const int MinQuicDatagramSize = 1200;

    private readonly int[] _paddings;

    /// <summary>Computes the budget; negative paddings are taken as 0 (the validator reports them).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="wireMtu"/> is not positive.</exception>
    public WireSizeBudget(int wireMtu, int s1, int s2, int s3, int s4)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(wireMtu);
        WireMtu = wireMtu;
        _paddings = [Math.Max(s1, 0), Math.Max(s2, 0), Math.Max(s3, 0), Math.Max(s4, 0)];
    }

    /// <summary>The largest UDP payload the path carries.</summary>
    public int WireMtu { get; }

    /// <summary>
    /// The QUIC maximum datagram size: what the class with the largest envelope can still carry.
    /// QUIC sizes every datagram by it, whatever class the datagram ends up in.
    /// </summary>
    public int MaxQuicDatagramSize => WireMtu - Enum.GetValues<AwgMessageClass>().Max(Overhead);

    /// <summary>The budget of <paramref name="options"/>' S1..S4.</summary>
    public static WireSizeBudget For(AwgOptions options, int wireMtu = DefaultIPv4WireMtu)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new WireSizeBudget(wireMtu, options.S1, options.S2, options.S3, options.S4);
    }

    /// <summary>S_k.</summary>
    public int Padding(AwgMessageClass messageClass) => _paddings[Index(messageClass)];

    /// <summary>S_k + 4: the bytes the envelope adds to a QUIC datagram of class k.</summary>
    public int Overhead(AwgMessageClass messageClass) => Padding(messageClass) + HeaderSize;

    /// <summary>Wire MTU − (S_k + 4): the largest QUIC datagram a class k datagram can carry.</summary>
    public int QuicCapacity(AwgMessageClass messageClass) => WireMtu - Overhead(messageClass);

    /// <summary>
    /// One message per class that cannot carry <see cref="MinQuicDatagramSize"/> bytes of QUIC,
    /// naming the S key, its value and the arithmetic; empty when the budget works.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var failures = new List<string>();
        foreach (var k in Enum.GetValues<AwgMessageClass>())
        {
            var capacity = QuicCapacity(k);
            if (capacity < MinQuicDatagramSize)
            {
                failures.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"S{(int)k} = {Padding(k)}: a {Describe(k)} datagram can carry only {capacity} bytes of QUIC " +
                    $"({WireMtu}-byte wire MTU - {Padding(k)} padding - {HeaderSize} header), but {Requirement(k)}; " +
                    $"S{(int)k} can be at most {WireMtu - HeaderSize - MinQuicDatagramSize} at this MTU"));
            }
        }

        return failures;
    }

    private static int Index(AwgMessageClass messageClass) => messageClass switch
    {
        AwgMessageClass.Initiation or AwgMessageClass.Response or AwgMessageClass.Cookie or AwgMessageClass.Transport => (int)messageClass - 1,
        _ => throw new ArgumentOutOfRangeException(nameof(messageClass), messageClass, "Not an AWG message class."),
    };

    private static string Describe(AwgMessageClass k) => k switch
    {
        AwgMessageClass.Initiation => "class 1 (initiation)",
        AwgMessageClass.Response => "class 2 (response)",
        AwgMessageClass.Cookie => "class 3 (cookie)",
        _ => "class 4 (transport)",
    };

    private static string Requirement(AwgMessageClass k) => k switch
    {
        AwgMessageClass.Initiation => "a client Initial must be at least 1200 bytes (RFC 9000 §14.1)",
        AwgMessageClass.Response => "server Initial datagrams must be padded to 1200 bytes (RFC 9000 §14.1)",
        _ => "QUIC needs a maximum datagram size of at least 1200 bytes on the path (RFC 9000 §14)",
    };
}
