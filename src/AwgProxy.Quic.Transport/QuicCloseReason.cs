using AwgProxy.Quic.Connections;

namespace AwgProxy.Quic.Transport;

/// <summary>
/// How a connection ended (<see cref="QuicConnection.Closed"/>): what operations now fail with, who ended it, the
/// codes, and a readable reason.
/// </summary>
/// <param name="Error">The <see cref="QuicError"/> pending and later operations fail with.</param>
/// <param name="IsLocal">True when this side ended the connection (close, dispose, timeout, path failure).</param>
/// <param name="ApplicationErrorCode">The code of an application close (either side).</param>
/// <param name="TransportErrorCode">The code of a transport close (either side), e.g. 0x12a for a bad_certificate alert.</param>
/// <param name="Message">What happened, in words.</param>
public sealed record QuicCloseReason(QuicError Error, bool IsLocal, long? ApplicationErrorCode, long? TransportErrorCode, string Message)
{
    /// <summary>The exception operations fail with after this close.</summary>
    public QuicException ToException(Exception? innerException = null) =>
        new(Error, ApplicationErrorCode, TransportErrorCode, Message, innerException) { CloseReason = this };

    /// <summary>
    /// Dead-path detection ended the connection: the peer stopped answering for
    /// <see cref="QuicConnectionOptions.DeadPathTimeout"/> (<see cref="Error"/> is <see cref="QuicError.ConnectionTimeout"/>).
    /// Reconnecting is the remedy; the path may come back.
    /// </summary>
    public bool IsPathDead { get; init; }

    /// <summary>Maps the core's account of a close (<paramref name="handshakeCompleted"/> tells an idle timeout from a handshake timeout).</summary>
    internal static QuicCloseReason FromConnectionError(ConnectionError? error, bool handshakeCompleted)
    {
        if (error is null) return new QuicCloseReason(QuicError.ConnectionAborted, false, null, null, "The connection was closed.");
        string message = error.ToString();
        long code = (long)error.Code;
        switch (error.Kind)
        {
            case ConnectionErrorKind.Application:
                return error.IsLocal
                    ? new QuicCloseReason(QuicError.OperationAborted, true, code, null, $"The connection was closed locally with application error code {code}.")
                    : new QuicCloseReason(QuicError.ConnectionAborted, false, code, null, $"The peer closed the connection with application error code {code}{ReasonSuffix(error)}.");
            case ConnectionErrorKind.Transport:
                if (error.TransportErrorCode == Quic.TransportErrorCode.NO_ERROR)
                {
                    return new QuicCloseReason(error.IsLocal ? QuicError.OperationAborted : QuicError.ConnectionAborted, error.IsLocal, null, 0, $"The connection was closed ({message}).");
                }

                if (error.TransportErrorCode == Quic.TransportErrorCode.CONNECTION_REFUSED)
                {
                    return new QuicCloseReason(QuicError.ConnectionRefused, error.IsLocal, null, code, $"The connection was refused ({message}).");
                }

                string what = error.TlsAlert is { } alert
                    ? $"The TLS handshake failed with alert {alert} ({message})."
                    : $"The connection failed with a transport error ({message}).";
                return new QuicCloseReason(QuicError.TransportError, error.IsLocal, null, code, what);
            case ConnectionErrorKind.IdleTimeout:
                return handshakeCompleted
                    ? new QuicCloseReason(QuicError.ConnectionIdle, true, null, null, "The connection was closed by the idle timeout.")
                    : new QuicCloseReason(QuicError.ConnectionTimeout, true, null, null, "The peer did not answer: the handshake timed out.");
            case ConnectionErrorKind.StatelessReset:
                return new QuicCloseReason(QuicError.ConnectionAborted, false, null, null, "The peer reset the connection (stateless reset).");
            case ConnectionErrorKind.PathDead:
                return new QuicCloseReason(QuicError.ConnectionTimeout, true, null, null, $"The path to the peer is dead: {error.Reason}.") { IsPathDead = true };
            case ConnectionErrorKind.VersionNegotiation:
                return new QuicCloseReason(QuicError.VersionNegotiationError, false, null, null, "The server does not support QUIC version 1.");
            default:
                return new QuicCloseReason(QuicError.ConnectionAborted, error.IsLocal, null, null, message);
        }
    }

    private static string ReasonSuffix(ConnectionError error) => error.Reason.Length == 0 ? "" : $": {error.Reason}";
}
