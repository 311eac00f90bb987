using System.Diagnostics.CodeAnalysis;
using AwgProxy.Socks5.Protocol;

namespace AwgProxy.Socks5;

/// <summary>The answer of <see cref="ISocks5ConnectHandler.ConnectAsync"/>: an upstream connection, or a REP code.</summary>
public sealed class Socks5ConnectResult
{
    private static readonly Socks5ConnectResult[] s_failures = CreateFailures();

    private Socks5ConnectResult(Socks5ReplyCode replyCode, ISocks5Upstream? upstream, Socks5Address boundAddress, ushort boundPort)
    {
        ReplyCode = replyCode;
        Upstream = upstream;
        BoundAddress = boundAddress;
        BoundPort = boundPort;
    }

    /// <summary>REP of the reply: X'00' on success.</summary>
    public Socks5ReplyCode ReplyCode { get; }

    /// <summary>Whether the connection was established.</summary>
    [MemberNotNullWhen(true, nameof(Upstream))]
    public bool Succeeded => ReplyCode == Socks5ReplyCode.Succeeded;

    /// <summary>The established connection when <see cref="Succeeded"/>; the server owns it from then on.</summary>
    public ISocks5Upstream? Upstream { get; }

    /// <summary>BND.ADDR of the reply: the address the destination connection was made from, or 0.0.0.0.</summary>
    public Socks5Address BoundAddress { get; }

    /// <summary>BND.PORT of the reply, or 0.</summary>
    public ushort BoundPort { get; }

    /// <summary>Success with BND.ADDR:BND.PORT = 0.0.0.0:0 (the local endpoint of a tunnelled connection is not known here).</summary>
    public static Socks5ConnectResult Success(ISocks5Upstream upstream) => Success(upstream, Socks5Address.IPv4Any, 0);

    /// <summary>Success with the given bound address.</summary>
    public static Socks5ConnectResult Success(ISocks5Upstream upstream, Socks5Address boundAddress, ushort boundPort)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        if (boundAddress.Type == 0)
        {
            throw new ArgumentException("The bound address has no address type.", nameof(boundAddress));
        }

        return new Socks5ConnectResult(Socks5ReplyCode.Succeeded, upstream, boundAddress, boundPort);
    }

    /// <summary>Failure with <paramref name="replyCode"/>, which must not be <see cref="Socks5ReplyCode.Succeeded"/>.</summary>
    public static Socks5ConnectResult Failure(Socks5ReplyCode replyCode)
    {
        if (replyCode == Socks5ReplyCode.Succeeded)
        {
            throw new ArgumentOutOfRangeException(nameof(replyCode), "A failure needs a non-zero reply code.");
        }

        return (byte)replyCode < s_failures.Length
            ? s_failures[(byte)replyCode]
            : new Socks5ConnectResult(replyCode, null, Socks5Address.IPv4Any, 0);
    }

    private static Socks5ConnectResult[] CreateFailures()
    {
        var failures = new Socks5ConnectResult[(int)Socks5ReplyCode.AddressTypeNotSupported + 1];
        for (int code = 1; code < failures.Length; code++)
        {
            failures[code] = new Socks5ConnectResult((Socks5ReplyCode)code, null, Socks5Address.IPv4Any, 0);
        }

        return failures;
    }
}
