using AwgProxy.Quic.Tls.Extensions;
using AwgProxy.Quic.Tls.Messages;

namespace AwgProxy.Quic.Tests.Tls.Messages;

public class NewSessionTicketTests
{
    [Fact]
    public void NewSessionTicket_MeetsTheCodecContract()
    {
        var message = new NewSessionTicket
        {
            TicketLifetime = 604800,
            TicketAgeAdd = 0xDEADBEEF,
            TicketNonce = [0, 1],
            Ticket = [.. Enumerable.Range(0, 40).Select(i => (byte)i)],
            Extensions = [new TlsExtension(ExtensionType.EarlyData, EarlyDataExtension.EncodeNewSessionTicket(0xFFFF_FFFF))],
        };
        MessageCodecAssert.Contract(message, NewSessionTicket.TryParse, fuzzSeed: 801);
    }

    [Fact]
    public void EmptyTicket_IsRejected()
    {
        // ticket<1..2^16-1> must not be empty.
        Assert.False(NewSessionTicket.TryParse([0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0], out _));
    }
}
