namespace AwgProxy.Tunnel;

/// <summary>
/// Which half of a stream to abort, shaped like System.Net.Quic's <c>QuicAbortDirection</c>.
/// Aborting the read side sends STOP_SENDING, aborting the write side sends RESET_STREAM.
/// </summary>
[Flags]
public enum TunnelAbortDirection
{
    /// <summary>Stop receiving: the peer's writes fail (QUIC STOP_SENDING).</summary>
    Read = 1,

    /// <summary>Stop sending: the peer's reads fail (QUIC RESET_STREAM).</summary>
    Write = 2,

    /// <summary>Both halves: an abortive close.</summary>
    Both = Read | Write,
}
