using AwgProxy.Tunnel.Protocol;

namespace AwgProxy.Tunnel.Tests.Protocol;

public class TunnelStatusTests
{
    // RFC 1928 section 6, the REP field, spelled out independently of the enum.
    [Theory]
    [InlineData(TunnelStatus.Succeeded, 0x00)]
    [InlineData(TunnelStatus.GeneralFailure, 0x01)]
    [InlineData(TunnelStatus.NotAllowedByRuleset, 0x02)]
    [InlineData(TunnelStatus.NetworkUnreachable, 0x03)]
    [InlineData(TunnelStatus.HostUnreachable, 0x04)]
    [InlineData(TunnelStatus.ConnectionRefused, 0x05)]
    [InlineData(TunnelStatus.TtlExpired, 0x06)]
    [InlineData(TunnelStatus.CommandNotSupported, 0x07)]
    [InlineData(TunnelStatus.AddressTypeNotSupported, 0x08)]
    public void StatusValue_IsTheRfc1928ReplyCode(TunnelStatus status, byte rep)
    {
        Assert.Equal(rep, (byte)status);
    }

    [Fact]
    public void StatusNames_AreDistinct()
    {
        string[] names = [.. Enum.GetValues<TunnelStatus>().Select(TunnelStatusNames.Get)];
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.DoesNotContain("unknown", names);
    }

    [Fact]
    public void ErrorCodes_HaveTheDocumentedValuesAndDistinctNames()
    {
        long[] codes =
        [
            TunnelErrorCode.NoError, TunnelErrorCode.UpstreamReset, TunnelErrorCode.ClientAborted, TunnelErrorCode.ProtocolError,
            TunnelErrorCode.LimitExceeded, TunnelErrorCode.IdleTimeout, TunnelErrorCode.RequestTimeout, TunnelErrorCode.InternalError,
            TunnelErrorCode.ServerShuttingDown,
        ];
        Assert.Equal([0x0L, 0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x10], codes);
        Assert.Equal(codes.Length, codes.Select(TunnelErrorCode.GetName).Distinct().Count());
        Assert.Equal("unknown", TunnelErrorCode.GetName(0x99));
    }
}
