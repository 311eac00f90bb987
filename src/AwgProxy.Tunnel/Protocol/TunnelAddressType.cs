namespace AwgProxy.Tunnel.Protocol;

/// <summary>The ATYP byte, with RFC 1928's values.</summary>
public enum TunnelAddressType : byte
{
    /// <summary>DST.ADDR is 4 bytes.</summary>
    IPv4 = 0x01,

    /// <summary>DST.ADDR is a length byte (1-255) followed by that many bytes of host name.</summary>
    DomainName = 0x03,

    /// <summary>DST.ADDR is 16 bytes.</summary>
    IPv6 = 0x04,
}
