using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Recovery;
using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Connections;

/// <summary>
/// The loss recovery facet (RFC 9002, RFC 9000 section 13.3): ACK frames into <see cref="LossDetection"/>, and the
/// fate of each sent packet's frames: released when acknowledged, requeued when lost.
/// </summary>
public sealed partial class Connection
{
    /// <summary>The most ACK ranges of a received ACK frame that are considered (older ranges are ignored).</summary>
    private const int MaxReceivedAckRanges = 256;

    private readonly PacketNumberRange[] _receivedAckRanges = new PacketNumberRange[MaxReceivedAckRanges];

    /// <summary>Where ECN validation of the path stands (tests and diagnostics).</summary>
    internal EcnState EcnState => _loss.Ecn.State;

    private void OnAckFrame(Instant now, PacketSpace space, scoped AckFrame frame)
    {
        int count = 0;
        foreach (PacketNumberRange range in frame)
        {
            if (count == _receivedAckRanges.Length) break;
            _receivedAckRanges[count++] = range;
        }

        ReadOnlySpan<PacketNumberRange> ranges = _receivedAckRanges.AsSpan(0, count);
        if (_loss.AcknowledgesUnsentPacket(space.Space, ranges))
        {
            CloseWithTransportError(now, TransportErrorCode.PROTOCOL_VIOLATION, (ulong)frame.Type, "ACK of a packet that was never sent");
            return;
        }

        int exponent = _peerParameters?.AckDelayExponent ?? TransportParameters.DefaultAckDelayExponent;
        var callbacks = new LossCallbacks(this, now);
        AckOutcome outcome = _loss.OnAckReceived(space.Space, ranges, frame.GetAckDelay(exponent), frame.EcnCounts, now, ref callbacks);
        ApplyPathMtuChange();

        // The peer acknowledges our packets by itself: no PING needed to get ACK-only packets acknowledged.
        if (space.Space == PacketNumberSpace.ApplicationData && outcome.NewlyAcked > 0) _ackOnlyPackets = 0;

        // RFC 9001 section 6.1: the next key update waits for an acknowledgment of a packet in the current phase.
        if (space.Space == PacketNumberSpace.ApplicationData && frame.LargestAcknowledged >= _sendPhaseFirstPacket) _sendPhaseAcknowledged = true;
    }

    private void OnPacketAcked(Instant now, PacketNumberSpace space, in SentPacket packet)
    {
        PacketSpace packetSpace = _spaces[(int)space];
        if (space == PacketNumberSpace.ApplicationData) _pathMtuChanged |= _pmtud.OnPacketAcked(in packet, now);
        if (!packetSpace.IsDiscarded) packetSpace.Received.OnSentPacketAcknowledged(packet.PacketNumber);
        if (_sentLog.TryGetFrames(packet.Token, out long first, out int count))
        {
            for (long i = first; i < first + count; i++) OnFrameAcked(packetSpace, in _sentLog.FrameAt(i));
        }

        _sentLog.Release(packet.Token);
    }

    private void OnPacketLost(Instant now, PacketNumberSpace space, in SentPacket packet)
    {
        PacketSpace packetSpace = _spaces[(int)space];
        if (space == PacketNumberSpace.ApplicationData) _pathMtuChanged |= _pmtud.OnPacketLost(in packet, now);
        if (_sentLog.TryGetFrames(packet.Token, out long first, out int count))
        {
            for (long i = first; i < first + count; i++) OnFrameLost(packetSpace, in _sentLog.FrameAt(i));
        }

        _sentLog.Release(packet.Token);
    }

    private void OnFrameAcked(PacketSpace space, in SentFrame frame)
    {
        switch (frame.Kind)
        {
            case SentFrameKind.Crypto:
                if (!space.IsDiscarded) space.CryptoSend.OnAcked(frame.Value, frame.Length, fin: false);
                break;
            case SentFrameKind.Stream:
                if (_streams.TryGetValue(frame.Id, out StreamEntry? entry) && entry.Send is { } send)
                {
                    bool wasAcknowledged = send.State == SendStreamState.DataRecvd;
                    send.OnAcked(frame.Value, frame.Length, frame.Flag);
                    EmitWritableIfWanted(entry);
                    if (!wasAcknowledged && send.State == SendStreamState.DataRecvd) Emit(ConnectionEvent.ForStream(ConnectionEventKind.StreamFinishAcknowledged, entry.Id));
                    CheckStreamClosed(entry);
                }

                break;
            case SentFrameKind.ResetStream:
                if (_streams.TryGetValue(frame.Id, out StreamEntry? reset) && reset.Send is { } resetSend)
                {
                    resetSend.OnResetStreamAcked();
                    CheckStreamClosed(reset);
                }

                break;
        }
    }

    private void OnFrameLost(PacketSpace space, in SentFrame frame)
    {
        StreamEntry? entry;
        switch (frame.Kind)
        {
            case SentFrameKind.Crypto:
                if (!space.IsDiscarded) space.CryptoSend.OnLost(frame.Value, frame.Length, fin: false);
                break;
            case SentFrameKind.Stream:
                if (_streams.TryGetValue(frame.Id, out entry) && entry.Send is { } send)
                {
                    send.OnLost(frame.Value, frame.Length, frame.Flag);
                    ScheduleSend(entry);
                }

                break;
            case SentFrameKind.ResetStream:
                if (_streams.TryGetValue(frame.Id, out entry) && entry.Send is { } resetSend)
                {
                    resetSend.OnResetStreamLost();
                    ScheduleControl(entry);
                }

                break;
            case SentFrameKind.StopSending:
                if (_streams.TryGetValue(frame.Id, out entry) && entry.Receive is { } stopReceive)
                {
                    stopReceive.OnStopSendingLost();
                    ScheduleControl(entry);
                }

                break;
            case SentFrameKind.MaxData:
                _receiveWindow.OnUpdateLost(frame.Value);
                break;
            case SentFrameKind.MaxStreamData:
                if (_streams.TryGetValue(frame.Id, out entry) && entry.Receive is { } windowReceive)
                {
                    windowReceive.OnMaxStreamDataLost(frame.Value);
                    ScheduleControl(entry);
                }

                break;
            case SentFrameKind.MaxStreams:
                _streamLimits.Incoming(frame.Flag ? StreamDirection.Bidirectional : StreamDirection.Unidirectional).OnMaxStreamsLost(frame.Value);
                break;
            case SentFrameKind.DataBlocked:
                _sendCredit.OnBlockedSignalLost(frame.Value);
                break;
            case SentFrameKind.StreamDataBlocked:
                if (_streams.TryGetValue(frame.Id, out entry) && entry.Send is { } blockedSend)
                {
                    blockedSend.OnStreamDataBlockedLost(frame.Value);
                    ScheduleControl(entry);
                }

                break;
            case SentFrameKind.StreamsBlocked:
                _streamLimits.Outgoing(frame.Flag ? StreamDirection.Bidirectional : StreamDirection.Unidirectional).OnStreamsBlockedLost(frame.Value);
                break;
            case SentFrameKind.NewConnectionId:
                _localIds.OnFrameLost(frame.Id);
                break;
            case SentFrameKind.RetireConnectionId:
                _peerIds.OnRetireLost(frame.Id);
                break;
            case SentFrameKind.HandshakeDone:
                _handshakeDonePending = true;
                break;
        }
    }

    /// <summary>
    /// Queues the frames of the oldest <paramref name="packets"/> ack-eliciting 1-RTT packets still in flight for
    /// sending again, as probe content. They stay in flight: whichever copy is acknowledged first settles them.
    /// </summary>
    private void RequeueOldestForProbes(int packets)
    {
        SentPacketTracker tracker = _loss.GetSentPackets(PacketNumberSpace.ApplicationData);
        PacketSpace space = ApplicationSpace;
        for (int i = 0; i < tracker.Count && packets > 0; i++)
        {
            ref SentPacketTracker.Slot slot = ref tracker.SlotAt(i);
            if (slot.State != SentPacketTracker.SlotState.Outstanding || !slot.Packet.IsAckEliciting || slot.Packet.IsPathMtuProbe) continue;
            if (!_sentLog.TryGetFrames(slot.Packet.Token, out long first, out int count) || count == 0) continue;
            for (long f = first; f < first + count; f++) OnFrameLost(space, in _sentLog.FrameAt(f));
            packets--;
        }
    }

    /// <summary>Marks all CRYPTO data sent and not acknowledged for retransmission (after a Retry, or on a probe timeout).</summary>
    private static void RequeueCryptoData(PacketSpace space)
    {
        if (space.IsDiscarded) return;
        ulong unacknowledged = space.CryptoSend.SentOffset - space.CryptoSend.AckedOffset;
        if (unacknowledged > 0) space.CryptoSend.OnLost(space.CryptoSend.AckedOffset, (int)unacknowledged, fin: false);
    }

    /// <summary>Routes <see cref="LossDetection"/>'s verdicts back to the connection. Must not re-enter loss detection.</summary>
    private readonly struct LossCallbacks(Connection connection, Instant now) : ILossDetectionCallbacks
    {
        public void OnPacketAcked(PacketNumberSpace space, in SentPacket packet) => connection.OnPacketAcked(now, space, in packet);

        public void OnPacketLost(PacketNumberSpace space, in SentPacket packet) => connection.OnPacketLost(now, space, in packet);

        public void OnPacketDiscarded(PacketNumberSpace space, in SentPacket packet) => connection._sentLog.Release(packet.Token);
    }
}
