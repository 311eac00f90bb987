namespace AwgProxy.Socks5.Protocol;

/// <summary>ATYP values (RFC 1928 §4, §5).</summary>
public enum Socks5AddressType : byte
{
    /// <summary>X'01' IP V4 address: 4 octets.</summary>
    IPv4 = 0x01,

    /// <summary>X'03' DOMAINNAME: one length octet, then the name (no terminating NUL).</summary>
    DomainName = 0x03,

    /// <summary>X'04' IP V6 address: 16 octets.</summary>
    IPv6 = 0x04,
}
