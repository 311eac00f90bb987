using AwgProxy.Quic.Crypto;

namespace AwgProxy.Quic.Connections;

/// <summary>The key update facet (RFC 9001 section 6): following the peer's updates, initiating ours, AEAD limits.</summary>
public sealed partial class Connection
{
    /// <summary>Close this many packets before the AEAD confidentiality limit if no key update was possible.</summary>
    private const long ConfidentialityMargin = 1024;

    private ulong _sendPhaseFirstPacket;
    private bool _sendPhaseAcknowledged;
    private ulong _receivePhaseFirstPacket;
    private bool _awaitingKeyUpdateAck;
    private ulong _keyUpdateTriggerPacket;
    private bool _keyUpdateRequested;
    private int _keyUpdates;

    private enum KeySelection
    {
        Current,
        Previous,
        Next,
    }

    /// <summary>
    /// Asks for a 1-RTT key update (RFC 9001 section 6.1). It happens with the next packet sent once allowed: after
    /// the handshake is confirmed, the previous update acknowledged and the old read keys discarded.
    /// </summary>
    public void ForceKeyUpdate()
    {
        ThrowIfDisposed();
        _keyUpdateRequested = true;
    }

    /// <summary>Test hook: updates the send keys now, ignoring the rules of RFC 9001 section 6 (to provoke KEY_UPDATE_ERROR).</summary>
    internal void UpdateSendKeysUnchecked()
    {
        DirectionKeys send = ApplicationSpace.SendKeys!;
        send.UpdateKeys();
        send.DiscardPrevious();
        _sendPhaseFirstPacket = ApplicationSpace.NextPacketNumber;
    }

    /// <summary>
    /// Picks the one key able to open a 1-RTT packet (RFC 9001 section 6.3): the Key Phase bit against the current
    /// phase, and the packet number against the first packet of the current phase to tell previous from next.
    /// </summary>
    private PacketKey? SelectReadKey(DirectionKeys keys, byte unprotectedFirstByte, ulong packetNumber, out KeySelection selection)
    {
        bool phase = Packets.PacketHeader.GetKeyPhase(unprotectedFirstByte);
        if (phase == keys.KeyPhase)
        {
            selection = KeySelection.Current;
            return keys.Current;
        }

        if (packetNumber < _receivePhaseFirstPacket)
        {
            selection = KeySelection.Previous;
            return keys.Previous;
        }

        selection = KeySelection.Next;
        return keys.Next;
    }

    /// <summary>A packet opened with the next read keys: the peer updated (or answered our update). False after closing the connection.</summary>
    private bool CommitPeerKeyUpdate(Instant now, ulong packetNumber)
    {
        if (_awaitingKeyUpdateAck)
        {
            // RFC 9001 section 6.2: a second update before we acknowledged the first in the new phase.
            return CloseWithTransportError(now, TransportErrorCode.KEY_UPDATE_ERROR, 0, "Consecutive key updates without awaiting confirmation");
        }

        DirectionKeys receive = ApplicationSpace.ReceiveKeys!;
        receive.UpdateKeys();
        _ = receive.Next;
        _receivePhaseFirstPacket = packetNumber;
        _timers[TimerKind.KeyDiscard] = now + (3 * ProbeTimeout);

        DirectionKeys? send = ApplicationSpace.SendKeys;
        if (send is not null && send.KeyPhase != receive.KeyPhase)
        {
            // The peer initiated: our send keys follow before we acknowledge the packet (RFC 9001 section 6.2).
            send.UpdateKeys();
            send.DiscardPrevious();
            _sendPhaseFirstPacket = ApplicationSpace.NextPacketNumber;
            _sendPhaseAcknowledged = false;
            _awaitingKeyUpdateAck = true;
            _keyUpdateTriggerPacket = packetNumber;
            _keyUpdates++;
        }

        return true;
    }

    /// <summary>Initiates a key update when one is requested or the packet interval is reached and the rules allow it.</summary>
    private void MaybeInitiateKeyUpdate(Instant now)
    {
        DirectionKeys? send = ApplicationSpace.SendKeys;
        DirectionKeys? receive = ApplicationSpace.ReceiveKeys;
        if (send is null || receive is null || !_handshakeConfirmed) return;
        long used = send.Current.EncryptedPackets;
        if (!_keyUpdateRequested && used < _options.KeyUpdateInterval) return;

        bool permitted = _sendPhaseAcknowledged && !_awaitingKeyUpdateAck && receive.Previous is null && receive.KeyPhase == send.KeyPhase;
        if (!permitted)
        {
            if (used >= send.Current.ConfidentialityLimit - ConfidentialityMargin)
            {
                CloseWithTransportError(now, TransportErrorCode.AEAD_LIMIT_REACHED, 0, "AEAD confidentiality limit reached and no key update possible");
            }

            return;
        }

        send.UpdateKeys();
        send.DiscardPrevious();
        _sendPhaseFirstPacket = ApplicationSpace.NextPacketNumber;
        _sendPhaseAcknowledged = false;
        _keyUpdateRequested = false;
        _keyUpdates++;
    }
}
