namespace AwgProxy.Tunnel;

/// <summary>The tunnel connection is closed; no stream on it can make progress.</summary>
public sealed class TunnelConnectionClosedException : IOException
{
    public TunnelConnectionClosedException()
        : base("The tunnel connection is closed.")
    {
    }

    public TunnelConnectionClosedException(long errorCode)
        : base($"The tunnel connection was closed with error code 0x{errorCode:x}.")
    {
        ErrorCode = errorCode;
    }

    public TunnelConnectionClosedException(string message)
        : base(message)
    {
    }

    public TunnelConnectionClosedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The application error code of the CONNECTION_CLOSE, when one was received.</summary>
    public long? ErrorCode { get; }
}
