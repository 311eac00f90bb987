using System.Net;
using System.Text;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Connections;

/// <summary>The receive facet: datagrams into packets, packets into frames (RFC 9000 sections 12 and 13, RFC 9001 section 5).</summary>
public sealed partial class Connection
{
    private bool _receivedFromPeer;
    private bool _retryReceived;
    private byte[] _retryToken = [];

    private enum PacketOutcome
    {
        Processed,
        Dropped,
        Buffered,
        DecryptionFailed,
    }

    /// <summary>
    /// Processes one UDP datagram from <paramref name="remote"/>; it may hold several coalesced packets. Packets are
    /// decrypted in place, so <paramref name="datagram"/> is modified. Invalid input is dropped (and counted in
    /// <see cref="ConnectionStats.PacketsDropped"/>) or closes the connection with the proper error; it never throws.
    /// Afterwards poll transmits and events and re-read <see cref="NextTimeout"/>.
    /// </summary>
    /// <param name="now">When the datagram was received.</param>
    /// <param name="datagram">The UDP payload.</param>
    /// <param name="remote">The address it came from; not kept (copied when it starts a new path).</param>
    /// <param name="ecn">The ECN codepoint of its IP header.</param>
    public void HandleDatagram(Instant now, Span<byte> datagram, SocketAddress remote, EcnCodepoint ecn)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(remote);
        if (_state == ConnectionState.Closed) return;
        _datagramsReceived++;
        _bytesReceived += datagram.Length;
        if (_state == ConnectionState.Draining) return;

        PathState? path = _path.Matches(remote) ? _path : _probePath is { } probe && probe.Matches(remote) ? probe : null;
        if (path is not null)
        {
            // Anti-amplification counts every datagram attributed to the connection (RFC 9000 section 8.1).
            path.BytesReceived += datagram.Length;
        }
        else if (!_isServer || !_handshakeConfirmed)
        {
            // No migration before the handshake is confirmed (RFC 9000 section 9); a client only listens to its server.
            _packetsDropped++;
            return;
        }

        if (_state == ConnectionState.Closing) OnDatagramWhileClosing();
        ProcessDatagram(now, datagram, remote, path, ecn);
        ProcessPendingPackets(now);
        UpdateAmplificationLimit(now);
        UpdateTimers(now);
    }

    private void ProcessDatagram(Instant now, Span<byte> datagram, SocketAddress remote, PathState? path, EcnCodepoint ecn)
    {
        Span<byte> rest = datagram;
        ConnectionId firstDestination = default;
        bool first = true;
        while (!rest.IsEmpty && _state is not (ConnectionState.Draining or ConnectionState.Closed))
        {
            if (!PacketHeader.TryParse(rest, _localCidLength, out PacketHeader header, out _))
            {
                // RFC 9000 section 12.2: whatever follows an unparsable packet is dropped with it.
                _packetsDropped++;
                if (first) CheckStatelessReset(now, datagram);
                return;
            }

            int packetLength = header.PacketLength;
            if (first)
            {
                if (!ConnectionId.TryCreate(header.DestinationConnectionId, out firstDestination) || !IsOurDestination(firstDestination))
                {
                    _packetsDropped++;
                    return;
                }
            }
            else if (!firstDestination.Equals(header.DestinationConnectionId))
            {
                // Coalesced packets with another Destination Connection ID are ignored (RFC 9000 section 12.2).
                _packetsDropped++;
                rest = rest[packetLength..];
                continue;
            }

            PacketOutcome outcome = ProcessPacket(now, rest[..packetLength], in header, datagram.Length, remote, ref path, ecn);
            if (first && outcome == PacketOutcome.DecryptionFailed) CheckStatelessReset(now, datagram);
            first = false;
            rest = rest[packetLength..];
        }
    }

    /// <summary>True when <paramref name="destination"/> routes to us: one of our IDs, or the client-chosen ID of the handshake.</summary>
    private bool IsOurDestination(ConnectionId destination)
    {
        if (_localIds.Contains(destination.AsSpan())) return true;
        return _isServer && !_handshakeConfirmed && destination == _initialDestinationId;
    }

    private PacketOutcome ProcessPacket(Instant now, Span<byte> packet, scoped in PacketHeader header, int datagramLength, SocketAddress remote, ref PathState? path, EcnCodepoint ecn)
    {
        switch (header.Type)
        {
            case PacketType.VersionNegotiation:
                OnVersionNegotiation(in header);
                return PacketOutcome.Dropped;
            case PacketType.Retry:
                OnRetry(now, packet, in header);
                return PacketOutcome.Dropped;
            case PacketType.ZeroRtt:
                // No 0-RTT in this stack: the client never sends it, the server has no keys for it.
                _packetsDropped++;
                return PacketOutcome.Dropped;
        }

        if (header.IsLongHeader && !AcceptLongHeader(in header, datagramLength))
        {
            _packetsDropped++;
            return PacketOutcome.Dropped;
        }

        PacketSpace space = _spaces[(int)header.Type.ToPacketNumberSpace()];
        if (space.IsDiscarded)
        {
            _packetsDropped++;
            return PacketOutcome.Dropped;
        }

        if (space.ReceiveKeys is not { } keys)
        {
            // RFC 9001 section 5.7: keep a few packets that arrive before their keys.
            return header.Type == PacketType.Initial ? Drop() : BufferPacket(packet, space.Level, ecn, datagramLength);
        }

        int pnOffset = header.PacketNumberOffset;
        if (!PacketProtection.TryRemoveHeaderProtection(packet, pnOffset, keys.HeaderProtection, out uint truncated, out int pnLength)) return Drop();
        ulong? largest = space.Received.HasReceived ? space.Received.LargestReceived : null;
        ulong packetNumber = PacketNumber.Decode(largest, truncated, pnLength);

        KeySelection selection = KeySelection.Current;
        PacketKey? key = header.Type == PacketType.OneRtt ? SelectReadKey(keys, packet[0], packetNumber, out selection) : keys.Current;
        if (key is null || !PacketProtection.TryDecryptPayload(packet, pnOffset, pnLength, packetNumber, key, out Span<byte> payload))
        {
            _packetsDropped++;
            _decryptionFailures++;
            if (key is not null && _decryptionFailures >= AeadLimits.IntegrityLimit(keys.Suite) && !IsClosingOrDraining)
            {
                CloseWithTransportError(now, TransportErrorCode.AEAD_LIMIT_REACHED, 0, "AEAD integrity limit reached");
            }

            return PacketOutcome.DecryptionFailed;
        }

        if (!PacketHeader.ReservedBitsAreZero(packet[0]))
        {
            CloseWithTransportError(now, TransportErrorCode.PROTOCOL_VIOLATION, 0, "Reserved bits set in a packet header");
            return PacketOutcome.Processed;
        }

        if (space.Received.IsDuplicate(packetNumber)) return Drop();

        if (selection == KeySelection.Next && !CommitPeerKeyUpdate(now, packetNumber)) return PacketOutcome.Processed;

        OnFirstPacketsOfHandshake(now, in header);
        if (path is null)
        {
            // A server sees a confirmed connection's packets arrive from a new address (RFC 9000 section 9.3).
            path = GetOrCreateProbePath(remote);
            path.BytesReceived += datagramLength;
        }

        _receivedFromPeer = true;
        _packetsReceived++;
        _ackElicitingSentSinceLastReceive = false;
        _firstUnansweredSend = Instant.Never;
        RestartIdleTimer(now);

        var reader = new FrameReader(payload, header.Type, _isServer);
        ProcessFrames(now, ref reader, space, header.DestinationConnectionId, path);
        if (reader.Error is { } error)
        {
            if (!IsClosingOrDraining) CloseWithFrameError(now, error);
            return PacketOutcome.Processed;
        }

        if (IsClosingOrDraining) return PacketOutcome.Processed;

        // ACK decimation (when enabled) waits at most a quarter of the RTT (and never more than max_ack_delay).
        if (space.Received.BulkAckElicitingThreshold > 0 && _loss.Rtt.HasSample) space.Received.BulkAckDelay = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, _loss.Rtt.MinRtt.Ticks / 4));
        space.Received.OnPacketReceived(packetNumber, now, reader.IsAckEliciting, ecn);

        // Only the highest-numbered non-probing packet moves the connection to a new address (RFC 9000 section 9.3).
        if (path != _path && header.Type == PacketType.OneRtt && !reader.IsProbingOnly && packetNumber == space.Received.LargestReceived)
        {
            MigrateTo(now, path);
        }

        return PacketOutcome.Processed;
    }

    /// <summary>
    /// Test hook: processes <paramref name="payload"/> as the decrypted payload of a packet of <paramref name="type"/>
    /// from the current peer address, as if it had been authenticated. Fuzz tests reach every frame handler with it.
    /// </summary>
    internal void InjectDecryptedPayload(Instant now, ReadOnlySpan<byte> payload, PacketType type)
    {
        if (IsClosingOrDraining) return;
        PacketSpace space = _spaces[(int)type.ToPacketNumberSpace()];
        if (!space.CanReceive) return;
        ConnectionId destination = _localIds.Initial;
        var reader = new FrameReader(payload, type, _isServer);
        ProcessFrames(now, ref reader, space, destination.AsSpan(), _path);
        if (reader.Error is { } error && !IsClosingOrDraining) CloseWithFrameError(now, error);
        UpdateTimers(now);
    }

    private PacketOutcome Drop()
    {
        _packetsDropped++;
        return PacketOutcome.Dropped;
    }

    /// <summary>The connection ID rules of the handshake's long header packets (RFC 9000 sections 7.2 and 14.1).</summary>
    private bool AcceptLongHeader(scoped in PacketHeader header, int datagramLength)
    {
        if (_isServer)
        {
            // The client must keep its Source Connection ID; Initial datagrams must be padded to 1200 bytes.
            if (!_peerInitialSourceId!.Value.Equals(header.SourceConnectionId)) return false;
            return header.Type != PacketType.Initial || datagramLength >= MinimumMaxDatagramSize;
        }

        // Once the server chose its connection ID, packets with another Source Connection ID are discarded.
        if (_peerInitialSourceId is { } chosen && !chosen.Equals(header.SourceConnectionId)) return false;

        // A server's Initial never carries a token (RFC 9000 section 17.2.2).
        return header.Type != PacketType.Initial || header.Token.IsEmpty;
    }

    /// <summary>Bookkeeping done on the first successfully decrypted packets of the handshake.</summary>
    private void OnFirstPacketsOfHandshake(Instant now, scoped in PacketHeader header)
    {
        if (!_isServer && _peerInitialSourceId is null && header.Type is PacketType.Initial)
        {
            // RFC 9000 section 7.2: the client switches to the Source Connection ID of the server's first Initial.
            var chosen = new ConnectionId(header.SourceConnectionId);
            _peerInitialSourceId = chosen;
            _peerIds.SetInitial(chosen);
        }

        if (_isServer && header.Type == PacketType.Handshake && !InitialSpace.IsDiscarded)
        {
            // A Handshake packet from the client validates its address (RFC 9000 section 8.1) and ends the Initial
            // space (RFC 9001 section 4.9.1).
            _path.IsValidated = true;
            DiscardSpace(now, PacketNumberSpace.Initial);
        }
    }

    private void ProcessFrames(Instant now, ref FrameReader reader, PacketSpace space, scoped ReadOnlySpan<byte> destinationConnectionId, PathState path)
    {
        bool closing = _state == ConnectionState.Closing;
        while (reader.TryReadNext(out Frame frame))
        {
            if (closing)
            {
                // A closing endpoint only looks for the peer's CONNECTION_CLOSE (RFC 9000 section 10.2.1).
                if (frame.Type is FrameType.ConnectionClose or FrameType.ConnectionCloseApplication) OnConnectionCloseFrame(now, frame.ConnectionClose);
                continue;
            }

            switch (frame.Type)
            {
                case FrameType.Ping:
                    break;
                case FrameType.Ack or FrameType.AckEcn:
                    OnAckFrame(now, space, frame.Ack);
                    break;
                case FrameType.Crypto:
                    OnCryptoFrame(now, space, frame.Crypto);
                    break;
                case FrameType.Stream:
                    OnStreamFrame(now, frame.Stream, (ulong)frame.WireType);
                    break;
                case FrameType.ResetStream:
                    OnResetStreamFrame(now, frame.ResetStream);
                    break;
                case FrameType.StopSending:
                    OnStopSendingFrame(now, frame.StopSending);
                    break;
                case FrameType.MaxData:
                    OnMaxDataFrame(frame.MaxData);
                    break;
                case FrameType.MaxStreamData:
                    OnMaxStreamDataFrame(now, frame.MaxStreamData);
                    break;
                case FrameType.MaxStreamsBidi or FrameType.MaxStreamsUni:
                    OnMaxStreamsFrame(now, frame.MaxStreams, (ulong)frame.WireType);
                    break;
                case FrameType.DataBlocked:
                    break;
                case FrameType.StreamDataBlocked:
                    OnStreamDataBlockedFrame(now, frame.StreamDataBlocked);
                    break;
                case FrameType.StreamsBlockedBidi or FrameType.StreamsBlockedUni:
                    break;
                case FrameType.NewToken:
                    // Address validation tokens for future connections are not used (no resumption).
                    break;
                case FrameType.NewConnectionId:
                    OnNewConnectionIdFrame(now, frame.NewConnectionId);
                    break;
                case FrameType.RetireConnectionId:
                    OnRetireConnectionIdFrame(now, frame.RetireConnectionId, destinationConnectionId);
                    break;
                case FrameType.PathChallenge:
                    // Answered on the path it arrived on (RFC 9000 section 8.2.2); the latest challenge wins.
                    path.ResponsePending = true;
                    path.ResponseData = frame.PathChallenge.Data;
                    break;
                case FrameType.PathResponse:
                    OnPathResponse(now, frame.PathResponse.Data);
                    break;
                case FrameType.ConnectionClose or FrameType.ConnectionCloseApplication:
                    OnConnectionCloseFrame(now, frame.ConnectionClose);
                    break;
                case FrameType.HandshakeDone:
                    // The client's handshake is confirmed (RFC 9001 section 4.1.2).
                    ConfirmHandshake(now);
                    break;
                case FrameType.Datagram or FrameType.DatagramWithLength:
                    OnDatagramFrame(now, frame.Datagram.Data, frame.Encoding.Length, (ulong)frame.WireType);
                    break;
            }

            if (IsClosingOrDraining) return;
        }
    }

    private void OnCryptoFrame(Instant now, PacketSpace space, scoped CryptoFrame frame)
    {
        TransportErrorCode error = space.CryptoReceive.Insert(frame.Offset, frame.Data, fin: false);
        if (error != TransportErrorCode.NO_ERROR)
        {
            CloseWithTransportError(now, error, (ulong)FrameType.Crypto, "CRYPTO data beyond the buffered limit");
            return;
        }

        DeliverCryptoData(now, space);
    }

    private void OnConnectionCloseFrame(Instant now, scoped ConnectionCloseFrame frame)
    {
        string reason = Encoding.UTF8.GetString(frame.ReasonPhrase);
        var kind = frame.IsApplicationError ? ConnectionErrorKind.Application : ConnectionErrorKind.Transport;
        EnterDraining(now, new ConnectionError(kind, frame.ErrorCode, frame.IsApplicationError ? 0 : frame.TriggeringFrameType, reason, isLocal: false));
    }

    /// <summary>
    /// A client's answer to Version Negotiation (RFC 9000 section 6.2): only before any other packet from the server,
    /// only when it echoes our connection IDs, ignored when it lists version 1.
    /// </summary>
    private void OnVersionNegotiation(scoped in PacketHeader header)
    {
        _packetsDropped++;
        if (_isServer || _receivedFromPeer || _retryReceived || _state != ConnectionState.Handshaking) return;
        if (!_localIds.Initial.Equals(header.DestinationConnectionId) || !_originalDestinationId.Equals(header.SourceConnectionId)) return;
        if (header.ListsVersion(QuicVersion.Version1)) return;

        var offered = new StringBuilder();
        for (int i = 0; i < header.SupportedVersionCount && i < 8; i++)
        {
            if (i > 0) offered.Append(", ");
            offered.Append("0x").Append(header.GetSupportedVersion(i).ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
        }

        Terminate(new ConnectionError(ConnectionErrorKind.VersionNegotiation, 0, 0, $"the server does not support QUIC version 1 (it offers {offered})", isLocal: false));
    }

    /// <summary>A client's handling of Retry (RFC 9000 section 17.2.5.2, RFC 9001 section 5.8).</summary>
    private void OnRetry(Instant now, ReadOnlySpan<byte> packet, scoped in PacketHeader header)
    {
        _packetsDropped++;
        if (_isServer || _retryReceived || _receivedFromPeer || _state != ConnectionState.Handshaking) return;
        if (!_localIds.Initial.Equals(header.DestinationConnectionId)) return;
        if (header.Token.IsEmpty || _initialDestinationId.Equals(header.SourceConnectionId)) return;
        if (!RetryIntegrity.VerifyRetryPacket(_originalDestinationId.AsSpan(), packet)) return;
        _packetsDropped--;

        var retrySource = new ConnectionId(header.SourceConnectionId);
        _retryReceived = true;
        _retrySourceId = retrySource;
        _retryToken = header.Token.ToArray();
        _initialDestinationId = retrySource;
        _peerIds.SetInitial(retrySource);
        InstallInitialKeys(retrySource);

        // The Initial packets sent so far are gone; their packet numbers are not reused. The ClientHello is sent
        // again from offset 0 under the new keys, with the token.
        var callbacks = new LossCallbacks(this, now);
        _loss.DiscardSpace(PacketNumberSpace.Initial, now, ref callbacks);
        RequeueCryptoData(InitialSpace);
    }

    /// <summary>RFC 9000 section 10.3.1: a datagram we cannot process whose last 16 bytes are a token the peer gave us.</summary>
    private void CheckStatelessReset(Instant now, ReadOnlySpan<byte> datagram)
    {
        if (IsClosingOrDraining && _state != ConnectionState.Closing) return;
        if (!_peerIds.IsStatelessReset(datagram)) return;
        EnterDraining(now, new ConnectionError(ConnectionErrorKind.StatelessReset, 0, 0, "stateless reset", isLocal: false));
    }

    private PacketOutcome BufferPacket(ReadOnlySpan<byte> packet, EncryptionLevel level, EcnCodepoint ecn, int datagramLength)
    {
        if (_pendingPackets.Count >= PendingPacket.MaxCount || IsClosingOrDraining) return Drop();
        _pendingPackets.Add(PendingPacket.Create(packet, level, ecn, datagramLength));
        return PacketOutcome.Buffered;
    }

    /// <summary>Processes buffered packets whose keys arrived since (RFC 9001 section 5.7).</summary>
    private void ProcessPendingPackets(Instant now)
    {
        while (_newReadKeys && _pendingPackets.Count > 0 && !IsClosingOrDraining)
        {
            _newReadKeys = false;
            for (int i = 0; i < _pendingPackets.Count && !IsClosingOrDraining;)
            {
                PendingPacket pending = _pendingPackets[i];
                if (!SpaceOf(pending.Level).CanReceive)
                {
                    i++;
                    continue;
                }

                _pendingPackets.RemoveAt(i);
                PathState? path = _path;
                if (PacketHeader.TryParse(pending.Packet, _localCidLength, out PacketHeader header, out _))
                {
                    ProcessPacket(now, pending.Packet, in header, pending.DatagramLength, _path.Remote, ref path, pending.Ecn);
                }
                else
                {
                    _packetsDropped++;
                }

                pending.Release();
            }
        }

        _newReadKeys = false;
    }
}
