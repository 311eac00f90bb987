namespace AwgProxy.Interop.Http3;

/// <summary>
/// The peer broke the HTTP/3 (or QPACK) rules; <see cref="ErrorCode"/> is the RFC 9114 / RFC 9204 code
/// to reset the stream or close the connection with.
/// </summary>
public sealed class Http3ProtocolException : IOException
{
    public Http3ProtocolException(long errorCode, string message)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    public Http3ProtocolException()
        : this(Http3ErrorCode.GeneralProtocolError, "HTTP/3 protocol error")
    {
    }

    public Http3ProtocolException(string message)
        : this(Http3ErrorCode.GeneralProtocolError, message)
    {
    }

    public Http3ProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = Http3ErrorCode.GeneralProtocolError;
    }

    public long ErrorCode { get; }
}
