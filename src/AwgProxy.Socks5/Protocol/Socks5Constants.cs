namespace AwgProxy.Socks5.Protocol;

/// <summary>
/// Specification constants of RFC 1928 (SOCKS Protocol Version 5) and RFC 1929 (Username/Password
/// Authentication for SOCKS V5). Values named in the RFCs' diagrams; sizes derived from their field widths.
/// </summary>
public static class Socks5Constants
{
    /// <summary>VER of every SOCKS5 message (RFC 1928 §3, §4, §6): X'05'.</summary>
    public const byte ProtocolVersion = 0x05;

    /// <summary>VER of the username/password subnegotiation (RFC 1929 §2): X'01'.</summary>
    public const byte UsernamePasswordVersion = 0x01;

    /// <summary>Length of an IPv4 DST.ADDR/BND.ADDR (RFC 1928 §5): 4 octets.</summary>
    public const int IPv4AddressLength = 4;

    /// <summary>Length of an IPv6 DST.ADDR/BND.ADDR (RFC 1928 §5): 16 octets.</summary>
    public const int IPv6AddressLength = 16;

    /// <summary>Largest domain name: its length is one octet (RFC 1928 §5).</summary>
    public const int MaxDomainNameLength = 255;

    /// <summary>Length of DST.PORT/BND.PORT, network octet order (RFC 1928 §4).</summary>
    public const int PortLength = 2;

    /// <summary>Largest UNAME (ULEN is one octet, RFC 1929 §2).</summary>
    public const int MaxUserNameLength = 255;

    /// <summary>Largest PASSWD (PLEN is one octet, RFC 1929 §2).</summary>
    public const int MaxPasswordLength = 255;

    /// <summary>Largest ATYP + address: ATYP, one length octet and a 255-octet domain name.</summary>
    public const int MaxAddressLength = 1 + 1 + MaxDomainNameLength;

    /// <summary>Largest method selection request: VER, NMETHODS and 255 METHODS.</summary>
    public const int MaxMethodSelectionRequestLength = 2 + 255;

    /// <summary>Largest username/password request: VER, ULEN, UNAME, PLEN, PASSWD.</summary>
    public const int MaxUsernamePasswordRequestLength = 1 + 1 + MaxUserNameLength + 1 + MaxPasswordLength;

    /// <summary>Largest request or reply: VER, CMD/REP, RSV, ATYP + address, port.</summary>
    public const int MaxRequestLength = 3 + MaxAddressLength + PortLength;

    /// <summary>Largest UDP request header: RSV (2), FRAG, ATYP + address, port.</summary>
    public const int MaxUdpRequestHeaderLength = 3 + MaxAddressLength + PortLength;
}
