using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Connections;

/// <summary>The DATAGRAM facet (RFC 9221): unreliable messages in bounded queues both ways.</summary>
public sealed partial class Connection
{
    private readonly DatagramQueue _datagramSendQueue;
    private readonly DatagramQueue _datagramReceiveQueue;
    private ulong _peerMaxDatagramFrameSize;
    private bool _datagramEventQueued;

    /// <summary>
    /// The largest payload <see cref="TrySendDatagram"/> accepts now: what fits in one 1-RTT packet at the current
    /// datagram size and within the peer's max_datagram_frame_size; 0 when the peer did not enable DATAGRAM.
    /// </summary>
    public int MaxDatagramPayloadSize
    {
        get
        {
            if (_peerMaxDatagramFrameSize == 0) return 0;
            int packetRoom = CurrentMaxDatagramSize - (1 + _peerIds.Current.Length + 4) - AeadTagLength;
            int fromPacket = packetRoom - 1 - VarInt.GetLength((ulong)packetRoom);
            ulong frameLimit = _peerMaxDatagramFrameSize;
            long fromFrame = (long)Math.Min(frameLimit, int.MaxValue) - 1 - VarInt.GetLength(Math.Min(frameLimit, VarInt.MaxValue));
            return (int)Math.Max(0, Math.Min(fromPacket, fromFrame));
        }
    }

    /// <summary>
    /// Queues an unreliable DATAGRAM frame. False when the peer did not enable DATAGRAM, the payload is larger than
    /// <see cref="MaxDatagramPayloadSize"/>, the send queue is full, or the connection is not established.
    /// </summary>
    public bool TrySendDatagram(ReadOnlySpan<byte> payload)
    {
        ThrowIfDisposed();
        if (_state != ConnectionState.Connected || payload.Length > MaxDatagramPayloadSize) return false;
        return _datagramSendQueue.TryEnqueue(payload);
    }

    /// <summary>
    /// Takes the oldest received DATAGRAM payload. Returns false when none is queued, or when
    /// <paramref name="destination"/> is too small: then <paramref name="length"/> is the size needed and the payload
    /// stays queued.
    /// </summary>
    public bool TryReadDatagram(Span<byte> destination, out int length)
    {
        ThrowIfDisposed();
        length = 0;
        if (_datagramReceiveQueue.Count == 0) return false;
        ReadOnlySpan<byte> payload = _datagramReceiveQueue.Peek();
        length = payload.Length;
        if (destination.Length < payload.Length) return false;
        payload.CopyTo(destination);
        _datagramReceiveQueue.Dequeue();
        return true;
    }

    private void OnDatagramFrame(Instant now, ReadOnlySpan<byte> payload, int frameLength, ulong frameType)
    {
        // RFC 9221 section 3: not negotiated or larger than announced is a PROTOCOL_VIOLATION.
        ulong limit = _options.MaxDatagramFrameSize;
        if (limit == 0 || (ulong)frameLength > limit)
        {
            CloseWithTransportError(now, TransportErrorCode.PROTOCOL_VIOLATION, frameType, limit == 0 ? "DATAGRAM frame not negotiated" : "DATAGRAM frame larger than max_datagram_frame_size");
            return;
        }

        if (!_datagramReceiveQueue.TryEnqueue(payload))
        {
            _datagramFramesDropped++;
            return;
        }

        _datagramFramesReceived++;
        if (_datagramEventQueued) return;
        _datagramEventQueued = true;
        Emit(ConnectionEvent.Simple(ConnectionEventKind.DatagramReceived));
    }
}
