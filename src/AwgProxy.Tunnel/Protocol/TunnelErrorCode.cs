namespace AwgProxy.Tunnel.Protocol;

/// <summary>
/// Application error codes of awgproxy/1, carried by QUIC RESET_STREAM and STOP_SENDING (stream
/// codes) and CONNECTION_CLOSE of type 0x1d (connection codes). The one table is in docs/protocol.md.
/// Receivers treat an unknown code like <see cref="InternalError"/>.
/// </summary>
public static class TunnelErrorCode
{
    /// <summary>No error: a normal close.</summary>
    public const long NoError = 0x0;

    /// <summary>Stream: the upstream TCP connection (server side) failed or was reset.</summary>
    public const long UpstreamReset = 0x1;

    /// <summary>Stream: the local application's TCP connection (client side) failed or was reset.</summary>
    public const long ClientAborted = 0x2;

    /// <summary>Stream or connection: the peer violated awgproxy/1 (malformed request or response).</summary>
    public const long ProtocolError = 0x3;

    /// <summary>Stream or connection: a configured limit refused the stream or connection.</summary>
    public const long LimitExceeded = 0x4;

    /// <summary>Stream: no byte moved in either direction for the idle timeout. Connection: idle.</summary>
    public const long IdleTimeout = 0x5;

    /// <summary>Stream: the client did not send a whole request within the request timeout.</summary>
    public const long RequestTimeout = 0x6;

    /// <summary>Stream or connection: an unexpected local failure.</summary>
    public const long InternalError = 0x7;

    /// <summary>Stream or connection: the server (or client) is shutting down.</summary>
    public const long ServerShuttingDown = 0x10;

    /// <summary>The code's name for logs and metrics (<c>"unknown"</c> for codes not defined here).</summary>
    public static string GetName(long errorCode) => errorCode switch
    {
        NoError => "no_error",
        UpstreamReset => "upstream_reset",
        ClientAborted => "client_aborted",
        ProtocolError => "protocol_error",
        LimitExceeded => "limit_exceeded",
        IdleTimeout => "idle_timeout",
        RequestTimeout => "request_timeout",
        InternalError => "internal_error",
        ServerShuttingDown => "server_shutting_down",
        _ => "unknown",
    };
}
