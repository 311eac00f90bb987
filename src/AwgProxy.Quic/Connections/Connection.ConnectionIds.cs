using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Connections;

/// <summary>The connection ID facet (RFC 9000 section 5.1): the peer's NEW_CONNECTION_ID and RETIRE_CONNECTION_ID frames.</summary>
public sealed partial class Connection
{
    private StatelessResetToken? _registeredResetToken;

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
            return;
        }

        SyncPeerResetToken();
    }

    /// <summary>Tells the endpoint which stateless reset token belongs to the connection ID we send to.</summary>
    private void SyncPeerResetToken()
    {
        StatelessResetToken? current = _peerIds.CurrentToken;
        if (current == _registeredResetToken) return;
        _host?.OnPeerResetTokenChanged(this, _registeredResetToken, current);
        _registeredResetToken = current;
    }

    /// <summary>The endpoint recognised a stateless reset for this connection (RFC 9000 section 10.3.1).</summary>
    internal void OnStatelessReset(Instant now)
    {
        if (_state is ConnectionState.Draining or ConnectionState.Closed) return;
        _datagramsReceived++;
        EnterDraining(now, new ConnectionError(ConnectionErrorKind.StatelessReset, 0, 0, "stateless reset", isLocal: false));
        UpdateTimers(now);
    }

    /// <summary>The reset token registered with the endpoint (removed when the connection is forgotten).</summary>
    internal StatelessResetToken? RegisteredResetToken => _registeredResetToken;

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
