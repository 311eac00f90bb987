using AwgProxy.Quic.Tls;

namespace AwgProxy.Quic.Connections;

/// <summary>
/// How a connection ended: who ended it, and with which code and reason. Created once per connection, when it
/// leaves the <see cref="ConnectionState.Connected"/> or <see cref="ConnectionState.Handshaking"/> state.
/// </summary>
public sealed class ConnectionError
{
    internal ConnectionError(ConnectionErrorKind kind, ulong code, ulong frameType, string reason, bool isLocal)
    {
        Kind = kind;
        Code = code;
        FrameType = frameType;
        Reason = reason;
        IsLocal = isLocal;
    }

    public ConnectionErrorKind Kind { get; }

    /// <summary>The transport error code (<see cref="ConnectionErrorKind.Transport"/>) or the application error code (<see cref="ConnectionErrorKind.Application"/>); 0 otherwise.</summary>
    public ulong Code { get; }

    /// <summary>The transport error code, for <see cref="ConnectionErrorKind.Transport"/>.</summary>
    public TransportErrorCode TransportErrorCode => (TransportErrorCode)Code;

    /// <summary>The frame type that triggered a transport error (0 when unknown or not applicable).</summary>
    public ulong FrameType { get; }

    /// <summary>
    /// The reason: for a peer close, the Reason Phrase it sent (decoded as UTF-8); for a local close, the reason
    /// given to <see cref="Connection.Close"/> or the cause found by this stack (for a TLS failure, the TLS
    /// layer's description, which is never sent to the peer).
    /// </summary>
    public string Reason { get; }

    /// <summary>True when this endpoint ended the connection; false when the peer did (close or reset).</summary>
    public bool IsLocal { get; }

    /// <summary>The TLS alert of a CRYPTO_ERROR (0x0100-0x01ff, RFC 9001 section 4.8); null otherwise.</summary>
    public AlertDescription? TlsAlert =>
        Kind == ConnectionErrorKind.Transport && TransportErrorCode.IsCryptoError() ? (AlertDescription)(byte)(Code - (ulong)TransportErrorCode.CRYPTO_ERROR) : null;

    /// <summary>True for a transport close with NO_ERROR or an application close with code 0.</summary>
    public bool IsNoError => Kind is ConnectionErrorKind.Transport or ConnectionErrorKind.Application && Code == 0;

    public override string ToString()
    {
        string who = IsLocal ? "local" : "peer";
        string what = Kind switch
        {
            ConnectionErrorKind.Transport when TlsAlert is { } alert => $"CRYPTO_ERROR (TLS alert {alert})",
            ConnectionErrorKind.Transport => Enum.IsDefined(TransportErrorCode) ? TransportErrorCode.ToString() : $"transport error 0x{Code:x}",
            ConnectionErrorKind.Application => $"application error {Code}",
            _ => Kind.ToString(),
        };
        return Reason.Length == 0 ? $"{who} {what}" : $"{who} {what}: {Reason}";
    }
}
