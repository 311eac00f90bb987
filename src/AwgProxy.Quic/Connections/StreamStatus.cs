using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Connections;

/// <summary>What <see cref="Connection.GetStreamStatus"/> reports about one stream.</summary>
/// <param name="IsOpen">False once both parts reached a terminal state and the connection forgot the stream (or the connection closed).</param>
/// <param name="SendState">The sending part's state (RFC 9000 section 3.1); null when the stream has no sending part here or is forgotten.</param>
/// <param name="ReceiveState">The receiving part's state (RFC 9000 section 3.2); null when the stream has no receiving part here or is forgotten.</param>
/// <param name="ReadableBytes">Bytes that can be read now.</param>
/// <param name="WritableBytes">Bytes a write would accept now.</param>
/// <param name="PeerResetErrorCode">The code of the peer's RESET_STREAM, if one arrived.</param>
/// <param name="PeerStopSendingErrorCode">The code of the peer's STOP_SENDING, if one arrived.</param>
public readonly record struct StreamStatus(
    bool IsOpen,
    SendStreamState? SendState,
    ReceiveStreamState? ReceiveState,
    int ReadableBytes,
    int WritableBytes,
    ulong? PeerResetErrorCode,
    ulong? PeerStopSendingErrorCode);
