using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AwgProxy.Socks5.Protocol;

/// <summary>
/// An address as SOCKS5 carries it: ATYP followed by DST.ADDR or BND.ADDR (RFC 1928 §4, §5, §6, §7).
/// Domain names are kept as the client sent them, unresolved.
/// </summary>
/// <remarks>
/// <code>
/// +------+----------+
/// | ATYP |   ADDR   |
/// +------+----------+
/// |  1   | Variable |
/// +------+----------+
///
/// ATYP X'01': ADDR is a version-4 IP address, 4 octets.
/// ATYP X'03': ADDR is one length octet, then the fully-qualified domain name (no terminating NUL).
/// ATYP X'04': ADDR is a version-6 IP address, 16 octets.
/// </code>
/// A domain name here holds 1 to 255 visible US-ASCII octets (X'21' to X'7E'): an empty name cannot be
/// dialled, and names with controls, spaces or 8-bit octets are refused rather than passed on (an
/// internationalized name travels as its A-label, RFC 5890).
/// </remarks>
public readonly struct Socks5Address : IEquatable<Socks5Address>
{
    private readonly IPAddress? _ipAddress;
    private readonly string? _domainName;

    private Socks5Address(Socks5AddressType type, IPAddress? ipAddress, string? domainName)
    {
        Type = type;
        _ipAddress = ipAddress;
        _domainName = domainName;
    }

    /// <summary>0.0.0.0, the BND.ADDR of a reply that has no bound address to report.</summary>
    public static Socks5Address IPv4Any { get; } = new(Socks5AddressType.IPv4, IPAddress.Any, null);

    /// <summary>The ATYP. The default value of this struct has none (0) and cannot be written.</summary>
    public Socks5AddressType Type { get; }

    /// <summary>The IP address when <see cref="Type"/> is IPv4 or IPv6; otherwise null.</summary>
    public IPAddress? IPAddress => _ipAddress;

    /// <summary>The unresolved domain name when <see cref="Type"/> is DomainName; otherwise null.</summary>
    public string? DomainName => _domainName;

    /// <summary>Number of octets <see cref="Write"/> produces: ATYP plus ADDR.</summary>
    public int EncodedLength => Type switch
    {
        Socks5AddressType.IPv4 => 1 + Socks5Constants.IPv4AddressLength,
        Socks5AddressType.IPv6 => 1 + Socks5Constants.IPv6AddressLength,
        Socks5AddressType.DomainName => 1 + 1 + _domainName!.Length,
        _ => throw new InvalidOperationException("The default Socks5Address has no address type."),
    };

    /// <summary>An IPv4 (ATYP X'01') or IPv6 (ATYP X'04') address. IPv4-mapped IPv6 addresses stay IPv6.</summary>
    public static Socks5Address FromIPAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => new Socks5Address(Socks5AddressType.IPv4, address, null),
            AddressFamily.InterNetworkV6 => new Socks5Address(Socks5AddressType.IPv6, address, null),
            _ => throw new ArgumentException($"Address family {address.AddressFamily} has no SOCKS5 address type.", nameof(address)),
        };
    }

    /// <summary>A domain name (ATYP X'03'): 1 to 255 visible US-ASCII characters.</summary>
    public static Socks5Address FromDomainName(string domainName)
    {
        ArgumentNullException.ThrowIfNull(domainName);
        if (domainName.Length is 0 or > Socks5Constants.MaxDomainNameLength)
        {
            throw new ArgumentException("A SOCKS5 domain name has 1 to 255 characters.", nameof(domainName));
        }

        foreach (char c in domainName)
        {
            if (!IsDomainNameOctet(c))
            {
                throw new ArgumentException("A SOCKS5 domain name holds visible US-ASCII characters only.", nameof(domainName));
            }
        }

        return new Socks5Address(Socks5AddressType.DomainName, null, domainName);
    }

    /// <summary>
    /// Parses ATYP and ADDR from the start of <paramref name="source"/>. Unknown ATYP: Invalid with X'08'.
    /// Empty or non-visible-ASCII domain name: Invalid with X'01'.
    /// </summary>
    public static Socks5ParseResult TryParse(ReadOnlySpan<byte> source, out Socks5Address address)
    {
        address = default;
        if (source.IsEmpty)
        {
            return Socks5ParseResult.NeedMoreData;
        }

        switch ((Socks5AddressType)source[0])
        {
            case Socks5AddressType.IPv4:
                if (source.Length < 1 + Socks5Constants.IPv4AddressLength)
                {
                    return Socks5ParseResult.NeedMoreData;
                }

                address = new Socks5Address(Socks5AddressType.IPv4, new IPAddress(source.Slice(1, Socks5Constants.IPv4AddressLength)), null);
                return Socks5ParseResult.Complete(1 + Socks5Constants.IPv4AddressLength);

            case Socks5AddressType.IPv6:
                if (source.Length < 1 + Socks5Constants.IPv6AddressLength)
                {
                    return Socks5ParseResult.NeedMoreData;
                }

                address = new Socks5Address(Socks5AddressType.IPv6, new IPAddress(source.Slice(1, Socks5Constants.IPv6AddressLength)), null);
                return Socks5ParseResult.Complete(1 + Socks5Constants.IPv6AddressLength);

            case Socks5AddressType.DomainName:
                if (source.Length < 2)
                {
                    return Socks5ParseResult.NeedMoreData;
                }

                int length = source[1];
                if (length == 0)
                {
                    return Socks5ParseResult.Invalid(Socks5ReplyCode.GeneralFailure, "empty domain name");
                }

                // Reject a bad octet as soon as it arrives rather than after the whole name.
                ReadOnlySpan<byte> name = source.Slice(2, Math.Min(length, source.Length - 2));
                foreach (byte b in name)
                {
                    if (!IsDomainNameOctet((char)b))
                    {
                        return Socks5ParseResult.Invalid(Socks5ReplyCode.GeneralFailure, "domain name octet outside X'21'-X'7E'");
                    }
                }

                if (name.Length < length)
                {
                    return Socks5ParseResult.NeedMoreData;
                }

                address = new Socks5Address(Socks5AddressType.DomainName, null, Encoding.ASCII.GetString(name));
                return Socks5ParseResult.Complete(2 + length);

            default:
                return Socks5ParseResult.Invalid(Socks5ReplyCode.AddressTypeNotSupported, "unknown ATYP");
        }
    }

    /// <summary>Writes ATYP and ADDR; returns <see cref="EncodedLength"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="EncodedLength"/>.</exception>
    public int Write(Span<byte> destination)
    {
        int length = EncodedLength;
        if (destination.Length < length)
        {
            throw new ArgumentException("Destination is too short for the address.", nameof(destination));
        }

        destination[0] = (byte)Type;
        if (Type == Socks5AddressType.DomainName)
        {
            destination[1] = (byte)_domainName!.Length;
            Encoding.ASCII.GetBytes(_domainName, destination[2..]);
        }
        else
        {
            _ipAddress!.TryWriteBytes(destination[1..], out _);
        }

        return length;
    }

    /// <inheritdoc />
    public bool Equals(Socks5Address other) =>
        Type == other.Type &&
        Equals(_ipAddress, other._ipAddress) &&
        string.Equals(_domainName, other._domainName, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Socks5Address other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Type, _ipAddress, _domainName);

    /// <summary>"192.0.2.1", "2001:db8::1" or "example.com".</summary>
    public override string ToString() => Type switch
    {
        Socks5AddressType.IPv4 or Socks5AddressType.IPv6 => _ipAddress!.ToString(),
        Socks5AddressType.DomainName => _domainName!,
        _ => "(none)",
    };

    /// <summary>Equal type and address (domain names compared ordinally).</summary>
    public static bool operator ==(Socks5Address left, Socks5Address right) => left.Equals(right);

    /// <summary>Different type or address.</summary>
    public static bool operator !=(Socks5Address left, Socks5Address right) => !left.Equals(right);

    private static bool IsDomainNameOctet(char c) => c is >= '\x21' and <= '\x7E';
}
