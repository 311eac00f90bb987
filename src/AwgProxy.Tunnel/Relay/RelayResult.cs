namespace AwgProxy.Tunnel.Relay;

/// <summary>What a relay did.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="TunnelToTcpBytes">Bytes read from the tunnel stream and written to TCP.</param>
/// <param name="TcpToTunnelBytes">Bytes read from TCP and written to the tunnel stream.</param>
/// <param name="PeerErrorCode">The error code of the tunnel peer's RESET_STREAM/STOP_SENDING, when that ended it.</param>
/// <param name="Error">The exception behind a failure, for logging; null when it completed.</param>
public readonly record struct RelayResult(
    RelayOutcome Outcome,
    long TunnelToTcpBytes,
    long TcpToTunnelBytes,
    long? PeerErrorCode,
    Exception? Error);
