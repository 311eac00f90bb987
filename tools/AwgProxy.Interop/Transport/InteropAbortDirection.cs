namespace AwgProxy.Interop.Transport;

/// <summary>
/// Which half of a stream <see cref="InteropStream.Abort"/> abandons (the shape of System.Net.Quic's
/// QuicAbortDirection). Read sends STOP_SENDING, Write sends RESET_STREAM (RFC 9000 section 3.5).
/// </summary>
[Flags]
public enum InteropAbortDirection
{
    Read = 1,
    Write = 2,
    Both = Read | Write,
}
