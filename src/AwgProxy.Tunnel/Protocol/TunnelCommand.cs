namespace AwgProxy.Tunnel.Protocol;

/// <summary>
/// The CMD byte of an open-stream request. Values follow RFC 1928's CMD field so that SOCKS5
/// commands map one to one. Any non-zero value decodes; a server answers the ones it does not
/// implement with <see cref="TunnelStatus.CommandNotSupported"/>.
/// </summary>
public enum TunnelCommand : byte
{
    /// <summary>Open a TCP connection to the destination and relay bytes on this stream.</summary>
    Connect = 0x01,

    /// <summary>RFC 1928 BIND. Not supported; kept so the value is never reused.</summary>
    Bind = 0x02,

    /// <summary>
    /// Reserved for UDP ASSOCIATE: the stream will set up a UDP association whose datagrams ride
    /// QUIC DATAGRAM frames (RFC 9221). Not implemented in awgproxy/1 yet: answered with
    /// <see cref="TunnelStatus.CommandNotSupported"/>.
    /// </summary>
    UdpAssociate = 0x03,
}
