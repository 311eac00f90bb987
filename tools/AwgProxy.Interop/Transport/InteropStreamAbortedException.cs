namespace AwgProxy.Interop.Transport;

/// <summary>
/// The peer abandoned its half of a stream: a read fails with this after the peer's RESET_STREAM, a
/// write after the peer's STOP_SENDING. <see cref="ErrorCode"/> is the application error code the peer
/// chose (0x101 for a rejected interop-test request).
/// </summary>
public sealed class InteropStreamAbortedException : IOException
{
    public InteropStreamAbortedException(long errorCode)
        : base($"stream aborted by the peer with code 0x{errorCode:x}")
    {
        ErrorCode = errorCode;
    }

    public InteropStreamAbortedException(long errorCode, string message)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    public InteropStreamAbortedException()
        : this(0)
    {
    }

    public InteropStreamAbortedException(string message)
        : this(0, message)
    {
    }

    public InteropStreamAbortedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The application protocol error code carried by RESET_STREAM or STOP_SENDING.</summary>
    public long ErrorCode { get; }
}
