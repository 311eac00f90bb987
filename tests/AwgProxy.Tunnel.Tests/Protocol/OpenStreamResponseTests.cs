using AwgProxy.Tunnel.Protocol;

namespace AwgProxy.Tunnel.Tests.Protocol;

public class OpenStreamResponseTests
{
    [Theory]
    [InlineData(TunnelStatus.Succeeded, "0100")]
    [InlineData(TunnelStatus.GeneralFailure, "0101")]
    [InlineData(TunnelStatus.NotAllowedByRuleset, "0102")]
    [InlineData(TunnelStatus.NetworkUnreachable, "0103")]
    [InlineData(TunnelStatus.HostUnreachable, "0104")]
    [InlineData(TunnelStatus.ConnectionRefused, "0105")]
    [InlineData(TunnelStatus.TtlExpired, "0106")]
    [InlineData(TunnelStatus.CommandNotSupported, "0107")]
    [InlineData(TunnelStatus.AddressTypeNotSupported, "0108")]
    public void EveryStatus_EncodesAsVersionThenRep_AndRoundTrips(TunnelStatus status, string hex)
    {
        byte[] buffer = new byte[OpenStreamResponse.Length];

        int written = new OpenStreamResponse(status).Encode(buffer);

        Assert.Equal(OpenStreamResponse.Length, written);
        Assert.Equal(Convert.FromHexString(hex), buffer);
        Assert.Equal(DecodeStatus.Complete, OpenStreamResponse.TryDecode([.. buffer, 0x99], out OpenStreamResponse decoded, out int consumed));
        Assert.Equal(2, consumed);
        Assert.Equal(status, decoded.Status);
    }

    [Fact]
    public void EveryTwoByteInput_IsCompleteExactlyForVersion1AndAKnownStatus()
    {
        for (int ver = 0; ver < 256; ver++)
        {
            for (int rep = 0; rep < 256; rep++)
            {
                DecodeStatus status = OpenStreamResponse.TryDecode([(byte)ver, (byte)rep], out OpenStreamResponse response, out int consumed);

                bool valid = ver == 1 && rep <= 8;
                Assert.Equal(valid ? DecodeStatus.Complete : DecodeStatus.Invalid, status);
                Assert.Equal(valid ? 2 : 0, consumed);
                if (valid)
                {
                    Assert.Equal((TunnelStatus)rep, response.Status);
                }
            }
        }
    }

    [Fact]
    public void TruncatedPrefixes_NeedMoreData_UnlessTheVersionIsAlreadyWrong()
    {
        Assert.Equal(DecodeStatus.NeedMoreData, OpenStreamResponse.TryDecode([], out _, out _));
        Assert.Equal(DecodeStatus.NeedMoreData, OpenStreamResponse.TryDecode([0x01], out _, out _));
        Assert.Equal(DecodeStatus.Invalid, OpenStreamResponse.TryDecode([0x05], out _, out _));
    }

    [Fact]
    public void UndefinedStatus_CannotBeEncoded()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OpenStreamResponse((TunnelStatus)9));
    }
}
