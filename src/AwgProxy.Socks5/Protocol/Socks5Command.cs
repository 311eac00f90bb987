namespace AwgProxy.Socks5.Protocol;

/// <summary>CMD values of a SOCKS request (RFC 1928 §4).</summary>
public enum Socks5Command : byte
{
    /// <summary>X'01' CONNECT.</summary>
    Connect = 0x01,

    /// <summary>X'02' BIND.</summary>
    Bind = 0x02,

    /// <summary>X'03' UDP ASSOCIATE.</summary>
    UdpAssociate = 0x03,
}
