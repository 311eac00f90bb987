namespace AwgProxy.Quic.Transport;

/// <summary>
/// A QUIC connection or stream failed (the shape of System.Net.Quic's QuicException). The message says why in words:
/// for a TLS failure it names the alert and the local reason (e.g. "server public key matches no pin").
/// </summary>
public sealed class QuicException : IOException
{
    public QuicException(QuicError error, long? applicationErrorCode, string message)
        : this(error, applicationErrorCode, null, message, null)
    {
    }

    public QuicException(QuicError error, long? applicationErrorCode, long? transportErrorCode, string message, Exception? innerException)
        : base(message, innerException)
    {
        QuicError = error;
        ApplicationErrorCode = applicationErrorCode;
        TransportErrorCode = transportErrorCode;
    }

    public QuicException()
        : this(QuicError.InternalError, null, "QUIC error.")
    {
    }

    public QuicException(string message)
        : this(QuicError.InternalError, null, message)
    {
    }

    public QuicException(string message, Exception innerException)
        : this(QuicError.InternalError, null, null, message, innerException)
    {
    }

    /// <summary>What went wrong.</summary>
    public QuicError QuicError { get; }

    /// <summary>The application error code of a stream abort or an application close; null otherwise.</summary>
    public long? ApplicationErrorCode { get; }

    /// <summary>The QUIC transport error code (RFC 9000 section 20.1) of a transport close; null otherwise.</summary>
    public long? TransportErrorCode { get; }

    /// <summary>
    /// How the connection ended when this exception reports that (who ended it, <see cref="QuicCloseReason.IsLocal"/>,
    /// and whether dead-path detection did); null for other failures.
    /// </summary>
    public QuicCloseReason? CloseReason { get; init; }
}
