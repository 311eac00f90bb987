namespace AwgProxy.Tunnel.Protocol;

/// <summary>
/// The STATUS byte of an open-stream response. Every value equals the RFC 1928 REP code of the
/// same meaning, so the SOCKS5 front end forwards it as is: <c>(byte)status</c> is the REP field.
/// </summary>
public enum TunnelStatus : byte
{
    /// <summary>REP 0x00: the upstream connection is open; bytes flow from now on.</summary>
    Succeeded = 0x00,

    /// <summary>REP 0x01: general SOCKS server failure (unexpected error; tunnel unavailable).</summary>
    GeneralFailure = 0x01,

    /// <summary>REP 0x02: connection not allowed by ruleset (egress policy, denied port, per-client limit).</summary>
    NotAllowedByRuleset = 0x02,

    /// <summary>REP 0x03: network unreachable.</summary>
    NetworkUnreachable = 0x03,

    /// <summary>REP 0x04: host unreachable (also: the name does not resolve).</summary>
    HostUnreachable = 0x04,

    /// <summary>REP 0x05: connection refused.</summary>
    ConnectionRefused = 0x05,

    /// <summary>REP 0x06: TTL expired; used for timeouts (the upstream connect timeout).</summary>
    TtlExpired = 0x06,

    /// <summary>REP 0x07: command not supported (BIND, UDP ASSOCIATE in this version, unknown commands).</summary>
    CommandNotSupported = 0x07,

    /// <summary>REP 0x08: address type not supported. Defined for completeness; awgproxy/1 servers never send it.</summary>
    AddressTypeNotSupported = 0x08,
}
