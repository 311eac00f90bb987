namespace AwgProxy.Socks5.Protocol;

/// <summary>REP values of a SOCKS reply (RFC 1928 §6). X'09' to X'FF' are unassigned.</summary>
public enum Socks5ReplyCode : byte
{
    /// <summary>X'00' succeeded.</summary>
    Succeeded = 0x00,

    /// <summary>X'01' general SOCKS server failure.</summary>
    GeneralFailure = 0x01,

    /// <summary>X'02' connection not allowed by ruleset.</summary>
    ConnectionNotAllowed = 0x02,

    /// <summary>X'03' Network unreachable.</summary>
    NetworkUnreachable = 0x03,

    /// <summary>X'04' Host unreachable.</summary>
    HostUnreachable = 0x04,

    /// <summary>X'05' Connection refused.</summary>
    ConnectionRefused = 0x05,

    /// <summary>X'06' TTL expired. This server also answers it for timeouts.</summary>
    TtlExpired = 0x06,

    /// <summary>X'07' Command not supported.</summary>
    CommandNotSupported = 0x07,

    /// <summary>X'08' Address type not supported.</summary>
    AddressTypeNotSupported = 0x08,
}
