namespace AwgProxy.Quic.Frames;

/// <summary>
/// Why a packet payload was rejected: the transport error to close the connection with, the type of the
/// offending frame (the CONNECTION_CLOSE Frame Type field; 0 when not known) and a constant reason phrase.
/// </summary>
public readonly record struct FrameError(TransportErrorCode Code, ulong FrameType, string Reason);
