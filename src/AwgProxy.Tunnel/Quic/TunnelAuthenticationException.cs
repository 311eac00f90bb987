namespace AwgProxy.Tunnel.Quic;

/// <summary>
/// A tunnel connection failed because one side did not accept the other's key: the server's key is
/// not the pinned one, or the server refused this client's key (unknown or revoked there).
/// </summary>
public sealed class TunnelAuthenticationException : IOException
{
    public TunnelAuthenticationException()
        : base("The tunnel peer was not authenticated.")
    {
        Reason = string.Empty;
    }

    public TunnelAuthenticationException(string message)
        : base(message)
    {
        Reason = string.Empty;
    }

    public TunnelAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = string.Empty;
    }

    /// <summary>Creates the exception with its metric reason.</summary>
    public TunnelAuthenticationException(string reason, string message, Exception? innerException)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>
    /// The <c>awgproxy.reason</c> tag value: <see cref="QuicTunnelConnectionFactory.ServerKeyMismatch"/> or
    /// <see cref="QuicTunnelConnectionFactory.RefusedByServer"/>.
    /// </summary>
    public string Reason { get; }
}
