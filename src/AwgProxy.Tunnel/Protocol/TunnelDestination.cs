using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AwgProxy.Tunnel.Protocol;

/// <summary>
/// Where a proxied connection goes: an IP address or a host name, and a port. Immutable; the
/// factories enforce what the wire can carry (a name of 1-255 printable ASCII bytes, a port 1-65535).
/// </summary>
public sealed class TunnelDestination : IEquatable<TunnelDestination>
{
    /// <summary>The longest host name DST.ADDR can carry (one length byte).</summary>
    public const int MaxHostLength = 255;

    private TunnelDestination(TunnelAddressType addressType, IPAddress? address, string? host, int port)
    {
        AddressType = addressType;
        Address = address;
        Host = host;
        Port = port;
    }

    public TunnelAddressType AddressType { get; }

    /// <summary>The address when <see cref="AddressType"/> is IPv4 or IPv6; otherwise null.</summary>
    public IPAddress? Address { get; }

    /// <summary>The host name when <see cref="AddressType"/> is DomainName; otherwise null.</summary>
    public string? Host { get; }

    /// <summary>1-65535.</summary>
    public int Port { get; }

    /// <summary>An IPv4 or IPv6 destination (IPv4-mapped IPv6 addresses stay IPv6 on the wire).</summary>
    public static TunnelDestination FromAddress(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        ValidatePort(port);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => new TunnelDestination(TunnelAddressType.IPv4, address, null, port),
            AddressFamily.InterNetworkV6 => new TunnelDestination(TunnelAddressType.IPv6, address, null, port),
            _ => throw new ArgumentException($"Address family {address.AddressFamily} is not IPv4 or IPv6.", nameof(address)),
        };
    }

    /// <summary>A host-name destination; the server resolves it.</summary>
    public static TunnelDestination FromHost(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        ValidatePort(port);
        if (host.Length is 0 or > MaxHostLength)
        {
            throw new ArgumentException($"A host name is 1-{MaxHostLength} characters long.", nameof(host));
        }

        foreach (char c in host)
        {
            if (!IsHostByte(c))
            {
                throw new ArgumentException("A host name is printable ASCII without spaces.", nameof(host));
            }
        }

        return new TunnelDestination(TunnelAddressType.DomainName, null, host, port);
    }

    /// <summary>Printable ASCII other than space: what a host name may contain on the wire.</summary>
    internal static bool IsHostByte(int c) => c is >= 0x21 and <= 0x7E;

    internal static TunnelDestination CreateUnchecked(TunnelAddressType type, IPAddress? address, string? host, int port)
        => new(type, address, host, port);

    private static void ValidatePort(int port)
    {
        if (port is < 1 or > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "A destination port is 1-65535.");
        }
    }

    /// <summary><c>host:port</c>, <c>a.b.c.d:port</c> or <c>[v6]:port</c>.</summary>
    public override string ToString() => AddressType switch
    {
        TunnelAddressType.IPv6 => string.Create(CultureInfo.InvariantCulture, $"[{Address}]:{Port}"),
        TunnelAddressType.IPv4 => string.Create(CultureInfo.InvariantCulture, $"{Address}:{Port}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}"),
    };

    public bool Equals(TunnelDestination? other) =>
        other is not null
        && AddressType == other.AddressType
        && Port == other.Port
        && Equals(Address, other.Address)
        && string.Equals(Host, other.Host, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as TunnelDestination);

    public override int GetHashCode() => HashCode.Combine(AddressType, Address, Host, Port);
}
