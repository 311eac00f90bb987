namespace AwgProxy.Tunnel;

/// <summary>
/// The peer aborted its half of the stream: a read sees its RESET_STREAM, a write its STOP_SENDING.
/// </summary>
public sealed class TunnelStreamAbortedException : IOException
{
    public TunnelStreamAbortedException(long errorCode)
        : base($"The peer aborted the stream with error code 0x{errorCode:x}.")
    {
        ErrorCode = errorCode;
    }

    public TunnelStreamAbortedException(long errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    public TunnelStreamAbortedException()
        : this(0)
    {
    }

    public TunnelStreamAbortedException(string message)
        : base(message)
    {
    }

    public TunnelStreamAbortedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The application error code the peer sent (see <see cref="Protocol.TunnelErrorCode"/>).</summary>
    public long ErrorCode { get; }
}
