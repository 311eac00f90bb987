using System.Diagnostics.CodeAnalysis;
using AwgProxy.Socks5.Protocol;

namespace AwgProxy.Socks5;

/// <summary>The answer of <see cref="ISocks5UdpAssociateHandler.AssociateAsync"/>.</summary>
public sealed class Socks5UdpAssociateResult
{
    private Socks5UdpAssociateResult(Socks5ReplyCode replyCode, IAsyncDisposable? association, Socks5Address relayAddress, ushort relayPort)
    {
        ReplyCode = replyCode;
        Association = association;
        RelayAddress = relayAddress;
        RelayPort = relayPort;
    }

    /// <summary>REP of the reply: X'00' on success.</summary>
    public Socks5ReplyCode ReplyCode { get; }

    /// <summary>Whether the association exists.</summary>
    [MemberNotNullWhen(true, nameof(Association))]
    public bool Succeeded => ReplyCode == Socks5ReplyCode.Succeeded;

    /// <summary>The association; the server disposes it when the TCP connection ends.</summary>
    public IAsyncDisposable? Association { get; }

    /// <summary>BND.ADDR: where the client sends its datagrams.</summary>
    public Socks5Address RelayAddress { get; }

    /// <summary>BND.PORT: where the client sends its datagrams.</summary>
    public ushort RelayPort { get; }

    /// <summary>Success: the relay listens at <paramref name="relayAddress"/>:<paramref name="relayPort"/>.</summary>
    public static Socks5UdpAssociateResult Success(IAsyncDisposable association, Socks5Address relayAddress, ushort relayPort)
    {
        ArgumentNullException.ThrowIfNull(association);
        if (relayAddress.Type == 0)
        {
            throw new ArgumentException("The relay address has no address type.", nameof(relayAddress));
        }

        return new Socks5UdpAssociateResult(Socks5ReplyCode.Succeeded, association, relayAddress, relayPort);
    }

    /// <summary>Failure with <paramref name="replyCode"/>, which must not be <see cref="Socks5ReplyCode.Succeeded"/>.</summary>
    public static Socks5UdpAssociateResult Failure(Socks5ReplyCode replyCode)
    {
        if (replyCode == Socks5ReplyCode.Succeeded)
        {
            throw new ArgumentOutOfRangeException(nameof(replyCode), "A failure needs a non-zero reply code.");
        }

        return new Socks5UdpAssociateResult(replyCode, null, Socks5Address.IPv4Any, 0);
    }
}
