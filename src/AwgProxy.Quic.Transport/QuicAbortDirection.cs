namespace AwgProxy.Quic.Transport;

/// <summary>
/// Which half of a stream <see cref="QuicStream.Abort"/> abandons: <see cref="Read"/> sends STOP_SENDING,
/// <see cref="Write"/> sends RESET_STREAM (RFC 9000 section 3.5).
/// </summary>
[Flags]
public enum QuicAbortDirection
{
    Read = 1,
    Write = 2,
    Both = Read | Write,
}
