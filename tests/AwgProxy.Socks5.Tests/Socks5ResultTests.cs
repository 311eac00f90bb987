using System.Net.Sockets;
using AwgProxy.Socks5.Protocol;

namespace AwgProxy.Socks5.Tests;

public class Socks5ResultTests
{
    [Theory]
    [InlineData(SocketError.ConnectionRefused, Socks5ReplyCode.ConnectionRefused)]
    [InlineData(SocketError.HostUnreachable, Socks5ReplyCode.HostUnreachable)]
    [InlineData(SocketError.HostNotFound, Socks5ReplyCode.HostUnreachable)]
    [InlineData(SocketError.HostDown, Socks5ReplyCode.HostUnreachable)]
    [InlineData(SocketError.NetworkUnreachable, Socks5ReplyCode.NetworkUnreachable)]
    [InlineData(SocketError.NetworkDown, Socks5ReplyCode.NetworkUnreachable)]
    [InlineData(SocketError.TimedOut, Socks5ReplyCode.TtlExpired)]
    [InlineData(SocketError.AccessDenied, Socks5ReplyCode.ConnectionNotAllowed)]
    [InlineData(SocketError.AddressFamilyNotSupported, Socks5ReplyCode.AddressTypeNotSupported)]
    [InlineData(SocketError.ConnectionReset, Socks5ReplyCode.GeneralFailure)]
    [InlineData(SocketError.SocketError, Socks5ReplyCode.GeneralFailure)]
    public void SocketError_MapsToTheReplyCodeThatDescribesIt(SocketError error, Socks5ReplyCode expected)
    {
        Assert.Equal(expected, error.ToSocks5ReplyCode());
    }

    [Fact]
    public void ConnectFailure_WithSucceededCode_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Socks5ConnectResult.Failure(Socks5ReplyCode.Succeeded));
        Assert.Throws<ArgumentOutOfRangeException>(() => Socks5UdpAssociateResult.Failure(Socks5ReplyCode.Succeeded));
    }

    [Fact]
    public void ConnectFailure_CarriesTheCodeAndNoUpstream()
    {
        Socks5ConnectResult result = Socks5ConnectResult.Failure((Socks5ReplyCode)0x42);
        Assert.False(result.Succeeded);
        Assert.Null(result.Upstream);
        Assert.Equal((Socks5ReplyCode)0x42, result.ReplyCode);
        Assert.Equal(Socks5Address.IPv4Any, result.BoundAddress);
    }

    [Fact]
    public void ConnectSuccess_DefaultsToZeroBoundAddress()
    {
        var upstream = new MemoryUpstream();
        Socks5ConnectResult result = Socks5ConnectResult.Success(upstream);
        Assert.True(result.Succeeded);
        Assert.Same(upstream, result.Upstream);
        Assert.Equal(Socks5Address.IPv4Any, result.BoundAddress);
        Assert.Equal(0, result.BoundPort);
    }

    private sealed class MemoryUpstream : ISocks5Upstream
    {
        public Stream Stream { get; } = new MemoryStream();

        public ValueTask CompleteWritesAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void Abort()
        {
        }

        public ValueTask DisposeAsync() => Stream.DisposeAsync();
    }
}
