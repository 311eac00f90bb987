using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Connections;

/// <summary>The connection ID facet (RFC 9000 section 5.1): the peer's NEW_CONNECTION_ID and RETIRE_CONNECTION_ID frames.</summary>
public sealed partial class Connection
{
    private void OnNewConnectionIdFrame(Instant now, NewConnectionIdFrame frame)
    {
        if (_peerIds.IsZeroLength)
        {
            // RFC 9000 section 19.15: an endpoint sending with a zero-length Destination Connection ID gets none.
            CloseWithTransportError(now, TransportErrorCode.PROTOCOL_VIOLATION, (ulong)FrameType.NewConnectionId, "NEW_CONNECTION_ID for a zero-length connection ID");
            return;
        }

        TransportErrorCode error = _peerIds.OnNewConnectionId(in frame);
        if (error != TransportErrorCode.NO_ERROR)
        {
            string reason = error == TransportErrorCode.CONNECTION_ID_LIMIT_ERROR ? "Too many connection IDs" : "Inconsistent NEW_CONNECTION_ID";
            CloseWithTransportError(now, error, (ulong)FrameType.NewConnectionId, reason);
        }
    }

    private void OnRetireConnectionIdFrame(Instant now, RetireConnectionIdFrame frame, ReadOnlySpan<byte> packetDestinationConnectionId)
    {
        TransportErrorCode error = _localIds.Retire(frame.SequenceNumber, packetDestinationConnectionId, out ConnectionId retired, out bool wasActive);
        if (error != TransportErrorCode.NO_ERROR)
        {
            CloseWithTransportError(now, error, (ulong)FrameType.RetireConnectionId, "RETIRE_CONNECTION_ID of an unknown or in-use connection ID");
            return;
        }

        if (!wasActive) return;
        _host?.RetireConnectionId(this, retired);
        IssueConnectionIds();
    }
}
