using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace AwgProxy.Tunnel.Server;

/// <summary>
/// Decides whether the server may connect to an address: the guard that keeps clients out of the
/// server's own network.
/// </summary>
/// <remarks>
/// <para>An address is first normalized: IPv4-mapped (<c>::ffff:a.b.c.d</c>), IPv4-compatible
/// (<c>::a.b.c.d</c>, other than <c>::</c> and <c>::1</c>) and NAT64 well-known-prefix
/// (<c>64:ff9b::a.b.c.d</c>, RFC 6052) IPv6 addresses are judged as the IPv4 address they carry, and
/// the dialer connects to that normalized form. Then, in order:</para>
/// <list type="number">
/// <item>in <see cref="EgressPolicyOptions.DeniedNetworks"/> → <see cref="EgressVerdict.DeniedNetwork"/>;</item>
/// <item>in <see cref="EgressPolicyOptions.AllowedNetworks"/> → allowed;</item>
/// <item>a built-in special range (see <see cref="EgressVerdict"/>) → refused with that verdict,
/// except loopback when <see cref="EgressPolicyOptions.AllowLoopback"/> is set;</item>
/// <item>one of the server's own interface addresses → <see cref="EgressVerdict.LocalAddress"/>;</item>
/// <item>otherwise allowed.</item>
/// </list>
/// <para>The dialer applies it to every address a name resolves to and connects only to allowed
/// ones, checking the very address it connects to (no DNS-rebinding bypass).</para>
/// <para>Limitation: a public address the server reaches only through NAT (a cloud VM's elastic IP)
/// is not on any interface; list it in <see cref="EgressPolicyOptions.DeniedNetworks"/>.</para>
/// </remarks>
public sealed class EgressPolicy
{
    private readonly bool _allowLoopback;
    private readonly NetworkList _allowed;
    private readonly NetworkList _denied;
    private readonly HashSet<int> _deniedPorts;
    private readonly Func<IEnumerable<IPAddress>> _localAddressSource;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _refreshInterval;
    private readonly Lock _lock = new();
    private HashSet<IPAddress> _localAddresses = [];
    private long _localAddressesTimestamp;
    private bool _haveLocalAddresses;

    /// <param name="options">Validated options (invalid CIDRs throw <see cref="ArgumentException"/>).</param>
    /// <param name="timeProvider">Clock for refreshing the own-address snapshot; default the system clock.</param>
    /// <param name="localAddressSource">The server's own addresses; default every unicast address of every interface.</param>
    public EgressPolicy(EgressPolicyOptions options, TimeProvider? timeProvider = null, Func<IEnumerable<IPAddress>>? localAddressSource = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowLoopback = options.AllowLoopback;
        _allowed = NetworkList.Parse(options.AllowedNetworks, nameof(options.AllowedNetworks));
        _denied = NetworkList.Parse(options.DeniedNetworks, nameof(options.DeniedNetworks));
        _deniedPorts = [.. options.DeniedPorts];
        _localAddressSource = localAddressSource ?? GetInterfaceAddresses;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _refreshInterval = options.LocalAddressRefreshInterval;
    }

    /// <summary>Judges one address (any form; it is normalized first).</summary>
    public EgressVerdict Evaluate(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        IPAddress normalized = Normalize(address);
        if (_denied.Contains(normalized))
        {
            return EgressVerdict.DeniedNetwork;
        }

        if (_allowed.Contains(normalized))
        {
            return EgressVerdict.Allowed;
        }

        EgressVerdict special = Classify(normalized);
        if (special == EgressVerdict.Loopback && _allowLoopback)
        {
            return EgressVerdict.Allowed;
        }

        if (special != EgressVerdict.Allowed)
        {
            return special;
        }

        return GetLocalAddresses().Contains(normalized) ? EgressVerdict.LocalAddress : EgressVerdict.Allowed;
    }

    /// <summary>False for ports on <see cref="EgressPolicyOptions.DeniedPorts"/>.</summary>
    public bool IsPortAllowed(int port) => !_deniedPorts.Contains(port);

    /// <summary>
    /// The address an IPv6 form stands for: IPv4-mapped, IPv4-compatible (not :: or ::1) and NAT64
    /// 64:ff9b::/96 addresses become IPv4; an IPv6 scope ID is dropped.
    /// </summary>
    public static IPAddress Normalize(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        ReadOnlySpan<byte> high = bytes[..12];
        ReadOnlySpan<byte> low = bytes[12..];

        if (address.IsIPv4MappedToIPv6)
        {
            return new IPAddress(low);
        }

        if (!high.ContainsAnyExcept((byte)0))
        {
            // ::/96, IPv4-compatible. :: and ::1 keep their IPv6 meaning.
            uint v4 = BinaryPrimitives.ReadUInt32BigEndian(low);
            return v4 <= 1 ? new IPAddress(bytes) : new IPAddress(low);
        }

        // 64:ff9b::/96, the NAT64 well-known prefix (RFC 6052 section 2.1).
        if (high.SequenceEqual(Nat64WellKnownPrefix))
        {
            return new IPAddress(low);
        }

        return address.ScopeId != 0 ? new IPAddress(bytes) : address;
    }

    private static ReadOnlySpan<byte> Nat64WellKnownPrefix => [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>The built-in special ranges; <see cref="EgressVerdict.Allowed"/> for everything else.</summary>
    internal static EgressVerdict Classify(IPAddress normalized)
    {
        Span<byte> bytes = stackalloc byte[16];
        normalized.TryWriteBytes(bytes, out int length);
        if (length == 4)
        {
            uint a = BinaryPrimitives.ReadUInt32BigEndian(bytes);
            return a switch
            {
                _ when InRange(a, 0x00000000, 8) => EgressVerdict.Unspecified,     // 0.0.0.0/8
                _ when InRange(a, 0x7F000000, 8) => EgressVerdict.Loopback,        // 127.0.0.0/8
                _ when InRange(a, 0x0A000000, 8) => EgressVerdict.Private,         // 10.0.0.0/8
                _ when InRange(a, 0xAC100000, 12) => EgressVerdict.Private,        // 172.16.0.0/12
                _ when InRange(a, 0xC0A80000, 16) => EgressVerdict.Private,        // 192.168.0.0/16
                _ when InRange(a, 0x64400000, 10) => EgressVerdict.SharedAddressSpace, // 100.64.0.0/10
                _ when InRange(a, 0xA9FE0000, 16) => EgressVerdict.LinkLocal,      // 169.254.0.0/16
                _ when InRange(a, 0xE0000000, 4) => EgressVerdict.Multicast,       // 224.0.0.0/4
                0xFFFFFFFF => EgressVerdict.Broadcast,                             // 255.255.255.255
                _ when InRange(a, 0xF0000000, 4) => EgressVerdict.Reserved,        // 240.0.0.0/4
                _ => EgressVerdict.Allowed,
            };
        }

        if (normalized.Equals(IPAddress.IPv6None))
        {
            return EgressVerdict.Unspecified; // ::
        }

        if (normalized.Equals(IPAddress.IPv6Loopback))
        {
            return EgressVerdict.Loopback; // ::1
        }

        byte b0 = bytes[0];
        byte b1 = bytes[1];
        return b0 switch
        {
            0xFF => EgressVerdict.Multicast,                                        // ff00::/8
            0xFE when (b1 & 0xC0) == 0x80 => EgressVerdict.LinkLocal,              // fe80::/10
            0xFE when (b1 & 0xC0) == 0xC0 => EgressVerdict.Private,                // fec0::/10 (site-local)
            0xFC or 0xFD => EgressVerdict.Private,                                  // fc00::/7
            _ => EgressVerdict.Allowed,
        };
    }

    private static bool InRange(uint address, uint network, int prefixLength) =>
        (address & (uint.MaxValue << (32 - prefixLength))) == network;

    private HashSet<IPAddress> GetLocalAddresses()
    {
        long now = _timeProvider.GetTimestamp();
        lock (_lock)
        {
            if (!_haveLocalAddresses || _timeProvider.GetElapsedTime(_localAddressesTimestamp, now) >= _refreshInterval)
            {
                try
                {
                    var fresh = new HashSet<IPAddress>();
                    foreach (IPAddress address in _localAddressSource())
                    {
                        fresh.Add(Normalize(address));
                    }

                    _localAddresses = fresh;
                }
                catch (NetworkInformationException)
                {
                    // Keep the previous snapshot; try again next interval.
                }

                _localAddressesTimestamp = now;
                _haveLocalAddresses = true;
            }

            return _localAddresses;
        }
    }

    private static IEnumerable<IPAddress> GetInterfaceAddresses()
    {
        var addresses = new List<IPAddress>();
        foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (UnicastIPAddressInformation unicast in nic.GetIPProperties().UnicastAddresses)
            {
                addresses.Add(unicast.Address);
            }
        }

        return addresses;
    }
}
