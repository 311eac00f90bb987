using System.Net;
using AwgProxy.Tunnel.Server;
using Microsoft.Extensions.Time.Testing;

namespace AwgProxy.Tunnel.Tests.Server;

public class EgressPolicyTests
{
    private static EgressPolicy Policy(EgressPolicyOptions? options = null, params string[] localAddresses) =>
        new(options ?? new EgressPolicyOptions(), localAddressSource: () => localAddresses.Select(IPAddress.Parse));

    /// <summary>Every built-in range, its edges and its neighbours, under the default options.</summary>
    public static TheoryData<string, EgressVerdict> DefaultTable => new()
    {
        // public
        { "93.184.216.34", EgressVerdict.Allowed },
        { "8.8.8.8", EgressVerdict.Allowed },
        { "2606:4700::1111", EgressVerdict.Allowed },
        // 0.0.0.0/8 and ::
        { "0.0.0.0", EgressVerdict.Unspecified },
        { "0.255.255.255", EgressVerdict.Unspecified },
        { "1.0.0.0", EgressVerdict.Allowed },
        { "::", EgressVerdict.Unspecified },
        // 127.0.0.0/8 and ::1
        { "127.0.0.1", EgressVerdict.Loopback },
        { "127.255.255.254", EgressVerdict.Loopback },
        { "126.255.255.255", EgressVerdict.Allowed },
        { "128.0.0.0", EgressVerdict.Allowed },
        { "::1", EgressVerdict.Loopback },
        // 10.0.0.0/8
        { "10.0.0.0", EgressVerdict.Private },
        { "10.255.255.255", EgressVerdict.Private },
        { "9.255.255.255", EgressVerdict.Allowed },
        { "11.0.0.0", EgressVerdict.Allowed },
        // 172.16.0.0/12
        { "172.15.255.255", EgressVerdict.Allowed },
        { "172.16.0.0", EgressVerdict.Private },
        { "172.31.255.255", EgressVerdict.Private },
        { "172.32.0.0", EgressVerdict.Allowed },
        // 192.168.0.0/16
        { "192.167.255.255", EgressVerdict.Allowed },
        { "192.168.0.0", EgressVerdict.Private },
        { "192.168.255.255", EgressVerdict.Private },
        { "192.169.0.0", EgressVerdict.Allowed },
        // 100.64.0.0/10
        { "100.63.255.255", EgressVerdict.Allowed },
        { "100.64.0.0", EgressVerdict.SharedAddressSpace },
        { "100.127.255.255", EgressVerdict.SharedAddressSpace },
        { "100.128.0.0", EgressVerdict.Allowed },
        // 169.254.0.0/16, cloud metadata
        { "169.253.255.255", EgressVerdict.Allowed },
        { "169.254.0.0", EgressVerdict.LinkLocal },
        { "169.254.169.254", EgressVerdict.LinkLocal },
        { "169.254.255.255", EgressVerdict.LinkLocal },
        { "169.255.0.0", EgressVerdict.Allowed },
        // 224.0.0.0/4
        { "223.255.255.255", EgressVerdict.Allowed },
        { "224.0.0.0", EgressVerdict.Multicast },
        { "239.255.255.255", EgressVerdict.Multicast },
        // 240.0.0.0/4 and broadcast
        { "240.0.0.0", EgressVerdict.Reserved },
        { "255.255.255.254", EgressVerdict.Reserved },
        { "255.255.255.255", EgressVerdict.Broadcast },
        // IPv6 ranges
        { "fbff:ffff::1", EgressVerdict.Allowed },
        { "fc00::", EgressVerdict.Private },
        { "fd12:3456::1", EgressVerdict.Private },
        { "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", EgressVerdict.Private },
        { "fe7f:ffff::1", EgressVerdict.Allowed },
        { "fe80::", EgressVerdict.LinkLocal },
        { "fe80::1%2", EgressVerdict.LinkLocal },
        { "febf:ffff::1", EgressVerdict.LinkLocal },
        { "fec0::1", EgressVerdict.Private },
        { "ff00::", EgressVerdict.Multicast },
        { "ff02::1", EgressVerdict.Multicast },
        { "feff:ffff::1", EgressVerdict.Private },
        // IPv4-mapped IPv6: judged as IPv4
        { "::ffff:127.0.0.1", EgressVerdict.Loopback },
        { "::ffff:10.1.2.3", EgressVerdict.Private },
        { "::ffff:172.16.0.1", EgressVerdict.Private },
        { "::ffff:172.15.255.255", EgressVerdict.Allowed },
        { "::ffff:192.168.1.1", EgressVerdict.Private },
        { "::ffff:100.64.0.1", EgressVerdict.SharedAddressSpace },
        { "::ffff:169.254.169.254", EgressVerdict.LinkLocal },
        { "::ffff:224.0.0.1", EgressVerdict.Multicast },
        { "::ffff:0.0.0.0", EgressVerdict.Unspecified },
        { "::ffff:255.255.255.255", EgressVerdict.Broadcast },
        { "::ffff:8.8.8.8", EgressVerdict.Allowed },
        { "::ffff:7f00:1", EgressVerdict.Loopback }, // the same mapped loopback in hex
        // IPv4-compatible IPv6 (::a.b.c.d): judged as IPv4
        { "::127.0.0.1", EgressVerdict.Loopback },
        { "::10.0.0.1", EgressVerdict.Private },
        { "::169.254.169.254", EgressVerdict.LinkLocal },
        { "::8.8.8.8", EgressVerdict.Allowed },
        { "::2", EgressVerdict.Unspecified }, // ::0.0.0.2, inside 0.0.0.0/8
        // NAT64 well-known prefix: judged as the IPv4 address it carries
        { "64:ff9b::10.0.0.1", EgressVerdict.Private },
        { "64:ff9b::127.0.0.1", EgressVerdict.Loopback },
        { "64:ff9b::169.254.169.254", EgressVerdict.LinkLocal },
        { "64:ff9b::8.8.8.8", EgressVerdict.Allowed },
    };

    [Theory]
    [MemberData(nameof(DefaultTable))]
    public void DefaultOptions_GiveTheExpectedVerdict(string address, EgressVerdict expected)
    {
        Assert.Equal(expected, Policy().Evaluate(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("127.0.0.1", EgressVerdict.Allowed)]
    [InlineData("127.1.2.3", EgressVerdict.Allowed)]
    [InlineData("::1", EgressVerdict.Allowed)]
    [InlineData("::ffff:127.0.0.1", EgressVerdict.Allowed)]
    [InlineData("10.0.0.1", EgressVerdict.Private)]
    [InlineData("169.254.169.254", EgressVerdict.LinkLocal)]
    [InlineData("0.0.0.0", EgressVerdict.Unspecified)]
    public void AllowLoopback_AllowsLoopbackOnly(string address, EgressVerdict expected)
    {
        var policy = Policy(new EgressPolicyOptions { AllowLoopback = true });

        Assert.Equal(expected, policy.Evaluate(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("10.1.2.3", EgressVerdict.Allowed)]
    [InlineData("::ffff:10.1.2.3", EgressVerdict.Allowed)]
    [InlineData("10.2.0.1", EgressVerdict.Private)]
    [InlineData("fd00::5", EgressVerdict.Allowed)]
    [InlineData("fd01::5", EgressVerdict.Private)]
    [InlineData("169.254.169.254", EgressVerdict.Allowed)]
    [InlineData("169.254.169.253", EgressVerdict.LinkLocal)]
    [InlineData("192.168.7.1", EgressVerdict.Allowed)]
    [InlineData("192.168.8.1", EgressVerdict.Private)]
    [InlineData("127.0.0.1", EgressVerdict.Loopback)]
    public void AllowedNetworks_OpenExactlyTheirRanges(string address, EgressVerdict expected)
    {
        var policy = Policy(new EgressPolicyOptions
        {
            AllowedNetworks = ["10.1.0.0/16", "fd00::/120", "169.254.169.254", "::ffff:192.168.7.0/120"],
        });

        Assert.Equal(expected, policy.Evaluate(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("203.0.113.9", EgressVerdict.DeniedNetwork)]
    [InlineData("::ffff:203.0.113.9", EgressVerdict.DeniedNetwork)]
    [InlineData("203.0.114.1", EgressVerdict.Allowed)]
    [InlineData("10.9.9.9", EgressVerdict.DeniedNetwork)] // denied wins over allowed
    [InlineData("10.9.10.1", EgressVerdict.Allowed)]
    [InlineData("2001:db8:bad::1", EgressVerdict.DeniedNetwork)]
    public void DeniedNetworks_RefuseAndWinOverAllowedNetworks(string address, EgressVerdict expected)
    {
        var policy = Policy(new EgressPolicyOptions
        {
            AllowedNetworks = ["10.9.0.0/16"],
            DeniedNetworks = ["203.0.113.0/24", "10.9.9.0/24", "2001:db8:bad::/48"],
        });

        Assert.Equal(expected, policy.Evaluate(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("198.51.100.10", EgressVerdict.LocalAddress)]
    [InlineData("::ffff:198.51.100.10", EgressVerdict.LocalAddress)]
    [InlineData("198.51.100.11", EgressVerdict.Allowed)]
    [InlineData("2001:db8::10", EgressVerdict.LocalAddress)]
    [InlineData("2001:db8::11", EgressVerdict.Allowed)]
    public void OwnAddresses_AreRefused(string address, EgressVerdict expected)
    {
        var policy = Policy(null, "198.51.100.10", "2001:db8::10", "127.0.0.1", "fe80::1%3");

        Assert.Equal(expected, policy.Evaluate(IPAddress.Parse(address)));
    }

    [Fact]
    public void OwnAddress_CanBeAllowedExplicitly()
    {
        var policy = Policy(new EgressPolicyOptions { AllowedNetworks = ["198.51.100.10/32"] }, "198.51.100.10");

        Assert.Equal(EgressVerdict.Allowed, policy.Evaluate(IPAddress.Parse("198.51.100.10")));
    }

    [Fact]
    public void OwnAddresses_AreRefreshedAfterTheInterval()
    {
        var time = new FakeTimeProvider();
        string current = "198.51.100.10";
        int reads = 0;
        var policy = new EgressPolicy(
            new EgressPolicyOptions { LocalAddressRefreshInterval = TimeSpan.FromMinutes(1) },
            time,
            () =>
            {
                reads++;
                return [IPAddress.Parse(current)];
            });

        Assert.Equal(EgressVerdict.LocalAddress, policy.Evaluate(IPAddress.Parse("198.51.100.10")));
        current = "198.51.100.20";
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(EgressVerdict.LocalAddress, policy.Evaluate(IPAddress.Parse("198.51.100.10")));
        Assert.Equal(1, reads);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(EgressVerdict.Allowed, policy.Evaluate(IPAddress.Parse("198.51.100.10")));
        Assert.Equal(EgressVerdict.LocalAddress, policy.Evaluate(IPAddress.Parse("198.51.100.20")));
        Assert.Equal(2, reads);
    }

    [Fact]
    public void DefaultLocalAddressSource_ReadsTheMachinesInterfaces()
    {
        // Every machine that runs the tests has a loopback interface; with loopback allowed the
        // own-address rule is what must refuse a non-loopback interface address, if there is one.
        var policy = new EgressPolicy(new EgressPolicyOptions());
        Assert.Equal(EgressVerdict.Loopback, policy.Evaluate(IPAddress.Loopback));

        IPAddress? own = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .FirstOrDefault(a => EgressPolicy.Classify(EgressPolicy.Normalize(a)) == EgressVerdict.Allowed);
        if (own is not null)
        {
            Assert.Equal(EgressVerdict.LocalAddress, policy.Evaluate(own));
        }
    }

    [Theory]
    [InlineData(25, false)]
    [InlineData(465, false)]
    [InlineData(80, true)]
    [InlineData(443, true)]
    public void DeniedPorts_AreRefused(int port, bool allowed)
    {
        var policy = Policy(new EgressPolicyOptions { DeniedPorts = [25, 465] });

        Assert.Equal(allowed, policy.IsPortAllowed(port));
    }

    [Fact]
    public void NoDeniedPorts_AllowsEveryPort()
    {
        var policy = Policy();
        Assert.All(new[] { 1, 22, 25, 80, 65535 }, p => Assert.True(policy.IsPortAllowed(p)));
    }

    [Theory]
    [InlineData("10.0.0.1/8")]
    [InlineData("10.0.0.0/33")]
    [InlineData("not-an-address")]
    [InlineData("10")]
    [InlineData("")]
    public void InvalidNetwork_IsRejectedAtConstruction(string network)
    {
        Assert.Throws<ArgumentException>(() => Policy(new EgressPolicyOptions { AllowedNetworks = [network] }));
    }

    [Theory]
    [InlineData("::ffff:1.2.3.4", "1.2.3.4")]
    [InlineData("::1.2.3.4", "1.2.3.4")]
    [InlineData("64:ff9b::1.2.3.4", "1.2.3.4")]
    [InlineData("::1", "::1")]
    [InlineData("::", "::")]
    [InlineData("fe80::1%7", "fe80::1")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("1.2.3.4", "1.2.3.4")]
    public void Normalize_ExposesTheAddressAnIPv6FormStandsFor(string input, string expected)
    {
        Assert.Equal(IPAddress.Parse(expected), EgressPolicy.Normalize(IPAddress.Parse(input)));
    }
}
