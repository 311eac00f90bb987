namespace AwgProxy.Quic.Transport;

/// <summary>What went wrong, carried by <see cref="QuicException"/> (the shape of System.Net.Quic's QuicError).</summary>
public enum QuicError
{
    /// <summary>No error.</summary>
    Success,

    /// <summary>An internal error of this stack, or a failure of the datagram path under it.</summary>
    InternalError,

    /// <summary>The peer closed the connection (<see cref="QuicException.ApplicationErrorCode"/> holds an application close's code).</summary>
    ConnectionAborted,

    /// <summary>The peer aborted the stream (RESET_STREAM or STOP_SENDING; the code is in <see cref="QuicException.ApplicationErrorCode"/>).</summary>
    StreamAborted,

    /// <summary>The handshake did not complete in time, or the peer stopped answering before it completed.</summary>
    ConnectionTimeout,

    /// <summary>The peer refused the connection (CONNECTION_REFUSED).</summary>
    ConnectionRefused,

    /// <summary>The server does not speak QUIC version 1 (Version Negotiation).</summary>
    VersionNegotiationError,

    /// <summary>The connection was closed by the idle timeout.</summary>
    ConnectionIdle,

    /// <summary>This side aborted the operation: the connection or stream was closed or aborted locally.</summary>
    OperationAborted,

    /// <summary>The connection is already connected (reserved for API parity).</summary>
    AlreadyConnected,

    /// <summary>
    /// The connection failed with a QUIC transport error (<see cref="QuicException.TransportErrorCode"/>), including a
    /// TLS failure (CRYPTO_ERROR: an alert such as bad_certificate or no_application_protocol).
    /// </summary>
    TransportError,
}
