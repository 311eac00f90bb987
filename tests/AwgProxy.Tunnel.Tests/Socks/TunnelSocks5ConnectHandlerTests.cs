using System.Net;
using AwgProxy.Socks5.Protocol;
using AwgProxy.Tunnel.Protocol;
using AwgProxy.Tunnel.Socks;

namespace AwgProxy.Tunnel.Tests.Socks;

public class TunnelSocks5ConnectHandlerTests
{
    [Fact]
    public void Addresses_BecomeTheSameTunnelDestination()
    {
        Assert.True(TunnelSocks5ConnectHandler.TryGetDestination(Socks5Address.FromIPAddress(IPAddress.Parse("93.184.216.34")), 443, out TunnelDestination? v4, out _));
        Assert.Equal(TunnelDestination.FromAddress(IPAddress.Parse("93.184.216.34"), 443), v4);
        Assert.True(TunnelSocks5ConnectHandler.TryGetDestination(Socks5Address.FromIPAddress(IPAddress.Parse("2001:db8::1")), 80, out TunnelDestination? v6, out _));
        Assert.Equal(TunnelAddressType.IPv6, v6.AddressType);
        Assert.True(TunnelSocks5ConnectHandler.TryGetDestination(Socks5Address.FromDomainName("example.com"), 8080, out TunnelDestination? name, out _));
        Assert.Equal(TunnelDestination.FromHost("example.com", 8080), name);
    }

    [Fact]
    public void PortZero_RefusedLocallyAsConnectionRefused()
    {
        Assert.False(TunnelSocks5ConnectHandler.TryGetDestination(Socks5Address.FromDomainName("example.com"), 0, out _, out Socks5ReplyCode reply));
        Assert.Equal(Socks5ReplyCode.ConnectionRefused, reply);
    }

    [Theory]
    [InlineData(TunnelStatus.GeneralFailure, Socks5ReplyCode.GeneralFailure)]
    [InlineData(TunnelStatus.NotAllowedByRuleset, Socks5ReplyCode.ConnectionNotAllowed)]
    [InlineData(TunnelStatus.NetworkUnreachable, Socks5ReplyCode.NetworkUnreachable)]
    [InlineData(TunnelStatus.HostUnreachable, Socks5ReplyCode.HostUnreachable)]
    [InlineData(TunnelStatus.ConnectionRefused, Socks5ReplyCode.ConnectionRefused)]
    [InlineData(TunnelStatus.TtlExpired, Socks5ReplyCode.TtlExpired)]
    [InlineData(TunnelStatus.CommandNotSupported, Socks5ReplyCode.CommandNotSupported)]
    public void TunnelStatus_IsTheSocks5ReplyCode(TunnelStatus status, Socks5ReplyCode reply) =>
        Assert.Equal(reply, TunnelSocks5ConnectHandler.ToReplyCode(status));
}
