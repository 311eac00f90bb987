using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace AwgProxy.Tunnel.Server;

/// <summary>Parses and matches the CIDR lists of <see cref="EgressPolicyOptions"/>.</summary>
internal sealed class NetworkList
{
    private readonly IPNetwork[] _networks;

    private NetworkList(IPNetwork[] networks)
    {
        _networks = networks;
    }

    public static NetworkList Parse(IEnumerable<string> values, string key)
    {
        var networks = new List<IPNetwork>();
        int index = 0;
        foreach (string value in values)
        {
            if (!TryParse(value, out IPNetwork network))
            {
                throw new ArgumentException($"{key}[{index}] = '{value}' is not a CIDR (address/prefix with no host bits set) or an IP address.", nameof(values));
            }

            networks.Add(network);
            index++;
        }

        return new NetworkList([.. networks]);
    }

    /// <summary>
    /// <c>a.b.c.d/n</c>, <c>v6/n</c> or a bare address (a /32 or /128). An IPv4-mapped IPv6 network
    /// (<c>::ffff:10.0.0.0/104</c>) becomes its IPv4 form, since addresses are matched in that form.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        value = value.Trim();
        if (!value.Contains('/', StringComparison.Ordinal))
        {
            if (!IPAddress.TryParse(value, out IPAddress? address) || !IsStrictLiteral(value))
            {
                return false;
            }

            address = EgressPolicy.Normalize(address);
            network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        // IPNetwork.TryParse masks host bits away ("10.0.0.1/8" → 10.0.0.0/8); a configuration
        // that sets them is more likely a typo than a wish, so it is refused.
        string addressPart = value[..value.IndexOf('/', StringComparison.Ordinal)];
        if (!IPNetwork.TryParse(value, out network)
            || !IPAddress.TryParse(addressPart, out IPAddress? given)
            || !IsStrictLiteral(addressPart)
            || !given.Equals(network.BaseAddress))
        {
            network = default;
            return false;
        }

        if (network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= 96)
        {
            network = new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - 96);
        }

        return true;
    }

    public bool Contains(IPAddress address)
    {
        foreach (IPNetwork network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    // IPAddress.TryParse also takes inet_aton forms such as "10" or "0x0a.1"; configuration should not.
    private static bool IsStrictLiteral(string value) =>
        value.Contains(':', StringComparison.Ordinal) || value.Split('.').Length == 4;
}
