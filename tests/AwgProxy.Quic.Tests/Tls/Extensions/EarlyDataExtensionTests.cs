using AwgProxy.Quic.Tls.Extensions;
using static AwgProxy.Quic.Tests.Tls.TlsTestSupport;

namespace AwgProxy.Quic.Tests.Tls.Extensions;

public class EarlyDataExtensionTests
{
    [Fact]
    public void NewSessionTicketForm_RoundTrips()
    {
        byte[] encoded = EarlyDataExtension.EncodeNewSessionTicket(0xFFFF_FFFF);
        Assert.Equal(Hex("ff ff ff ff"), encoded);
        Assert.True(EarlyDataExtension.TryParseNewSessionTicket(encoded, out uint size));
        Assert.Equal(EarlyDataExtension.QuicMaxEarlyDataSize, size);
        ExtensionCodecAssert.Contract(encoded, b => EarlyDataExtension.TryParseNewSessionTicket(b, out _), fuzzSeed: 1701);
    }
}
