namespace AwgProxy.Quic.Connections;

/// <summary>Why a connection ended.</summary>
public enum ConnectionErrorKind
{
    /// <summary>A CONNECTION_CLOSE of type 0x1c (a QUIC transport error code, including CRYPTO_ERROR).</summary>
    Transport,

    /// <summary>A CONNECTION_CLOSE of type 0x1d carrying an application protocol error code.</summary>
    Application,

    /// <summary>The idle timeout expired (RFC 9000 section 10.1); nothing was sent.</summary>
    IdleTimeout,

    /// <summary>The peer sent a stateless reset (RFC 9000 section 10.3).</summary>
    StatelessReset,

    /// <summary>The server answered with a Version Negotiation packet that does not list QUIC version 1.</summary>
    VersionNegotiation,

    /// <summary>
    /// The path stopped answering: ack-eliciting packets stayed unanswered for <see cref="ConnectionOptions.DeadPathTimeout"/>
    /// (dead-path detection). A CONNECTION_CLOSE was sent in case only one direction failed; reconnect.
    /// </summary>
    PathDead,
}
