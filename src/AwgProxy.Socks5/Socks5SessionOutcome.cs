namespace AwgProxy.Socks5;

/// <summary>How a session ended; logged with event 11 (SessionClosed).</summary>
internal enum Socks5SessionOutcome
{
    /// <summary>Both relay directions ended with a FIN.</summary>
    Completed,

    /// <summary>The client reset the connection, or writing to it failed.</summary>
    ClientAborted,

    /// <summary>The upstream was reset, or writing to it failed.</summary>
    UpstreamAborted,

    /// <summary>No byte moved for IdleTimeout.</summary>
    IdleTimeout,

    /// <summary>The server stopped and aborted the session.</summary>
    ServerShutdown,

    /// <summary>The client closed before sending a whole request.</summary>
    ClientClosedDuringHandshake,

    /// <summary>The handshake did not finish within HandshakeTimeout.</summary>
    HandshakeTimeout,

    /// <summary>Malformed greeting, authentication or request.</summary>
    ProtocolError,

    /// <summary>The greeting did not offer USERNAME/PASSWORD.</summary>
    NoAcceptableMethod,

    /// <summary>Wrong user name or password.</summary>
    AuthenticationFailed,

    /// <summary>The request was answered with a failure code.</summary>
    RequestFailed,

    /// <summary>A UDP association ended with its TCP connection.</summary>
    UdpAssociationEnded,

    /// <summary>An unexpected exception (a bug).</summary>
    Faulted,
}
