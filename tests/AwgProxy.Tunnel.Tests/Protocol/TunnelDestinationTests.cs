using System.Net;
using AwgProxy.Tunnel.Protocol;

namespace AwgProxy.Tunnel.Tests.Protocol;

public class TunnelDestinationTests
{
    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("ünicode")]
    public void FromHost_RejectsWhatTheWireCannotCarry(string host)
    {
        Assert.Throws<ArgumentException>(() => TunnelDestination.FromHost(host, 80));
    }

    [Fact]
    public void FromHost_RejectsNamesLongerThan255()
    {
        Assert.Throws<ArgumentException>(() => TunnelDestination.FromHost(new string('a', 256), 80));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    [InlineData(-1)]
    public void Factories_RejectPortsOutside1To65535(int port)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TunnelDestination.FromHost("a", port));
        Assert.Throws<ArgumentOutOfRangeException>(() => TunnelDestination.FromAddress(IPAddress.Loopback, port));
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1:80", TunnelAddressType.IPv4)]
    [InlineData("2001:db8::1", "[2001:db8::1]:80", TunnelAddressType.IPv6)]
    [InlineData("::ffff:192.0.2.1", "[::ffff:192.0.2.1]:80", TunnelAddressType.IPv6)]
    public void FromAddress_KeepsTheFamilyAndFormats(string address, string expected, TunnelAddressType type)
    {
        TunnelDestination destination = TunnelDestination.FromAddress(IPAddress.Parse(address), 80);

        Assert.Equal(type, destination.AddressType);
        Assert.Equal(expected, destination.ToString());
    }

    [Fact]
    public void FromHost_FormatsAsHostColonPort()
    {
        Assert.Equal("example.com:443", TunnelDestination.FromHost("example.com", 443).ToString());
    }
}
