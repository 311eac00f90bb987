using AwgProxy.Quic.Tls.Messages;

namespace AwgProxy.Quic.Tests.Tls.Messages;

public class FinishedTests
{
    [Theory]
    [InlineData(32)]
    [InlineData(48)]
    public void Finished_MeetsTheCodecContractForEachHashLength(int hashLength)
    {
        var message = new Finished { VerifyData = [.. Enumerable.Range(0, hashLength).Select(i => (byte)(i * 3))] };
        MessageCodecAssert.Contract(message, (ReadOnlySpan<byte> body, out Finished? parsed) => Finished.TryParse(body, hashLength, out parsed), fuzzSeed: 700 + hashLength);
    }

    [Fact]
    public void FinishedForOtherHashLength_IsRejected()
    {
        Assert.False(Finished.TryParse(new byte[48], 32, out _));
        Assert.False(Finished.TryParse(new byte[32], 48, out _));
    }
}
