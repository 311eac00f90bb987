using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Packets;
using AwgProxy.Quic.Recovery;

namespace AwgProxy.Quic.Connections;

/// <summary>
/// The send facet: builds one datagram per call straight into the caller's buffer, coalescing an Initial, a
/// Handshake and a 1-RTT packet where each has something to say (RFC 9000 section 12.2). Each packet is sealed
/// only when the next one starts or the datagram ends, so the last one can be padded with PADDING frames.
/// </summary>
public sealed partial class Connection
{
    private const int AeadTagLength = PacketKey.TagLength;

    /// <summary>Below this many bytes of room, no packet is started.</summary>
    private const int MinimumPacketRoom = 64;

    /// <summary>Room kept for one stream control frame (RESET_STREAM is the largest: 25 bytes).</summary>
    private const int ControlFrameRoom = 32;

    private readonly PacketNumberRange[] _ackRanges = new PacketNumberRange[ReceivedPacketTracker.DefaultMaxRanges];
    /// <summary>
    /// After this many ACK-only 1-RTT packets in a row, the next ACK carries a PING so the peer acknowledges them
    /// and their state can go (RFC 9000 section 13.2.4).
    /// </summary>
    private const int AckOnlyPacketsBeforePing = 16;

    private bool _handshakeDonePending;
    private bool _pingPending;
    private int _ackOnlyPackets;

    /// <summary>
    /// Writes the next UDP datagram to send into <paramref name="buffer"/> (at least 1200 bytes; the datagram is at
    /// most <see cref="ConnectionOptions.MaxDatagramSize"/>) and describes it. Returns false when there is nothing to
    /// send now: call again after the next input, timeout or application call. Loop until it returns false.
    /// </summary>
    public bool TryPollTransmit(Instant now, Span<byte> buffer, out Transmit transmit)
    {
        ThrowIfDisposed();
        transmit = default;
        if (buffer.Length < MinimumMaxDatagramSize) throw new ArgumentException($"The buffer must hold at least {MinimumMaxDatagramSize} bytes.", nameof(buffer));
        _lastNow = now;
        if (_state is ConnectionState.Draining or ConnectionState.Closed) return false;

        _timers.Clear(TimerKind.Pacing);
        if (_state == ConnectionState.Handshaking || _state == ConnectionState.Connected) MaybeInitiateKeyUpdate(now);

        bool sent;
        if (_state == ConnectionState.Closing)
        {
            sent = TryBuildCloseDatagram(now, buffer, out transmit);
        }
        else if (_probePath is { HasProbeFrames: true } probe && ApplicationSpace.CanSend && TryBuildProbeDatagram(now, buffer, probe, out transmit))
        {
            sent = true;
        }
        else if (TryBuildPathMtuProbe(now, buffer, out transmit))
        {
            sent = true;
        }
        else
        {
            sent = TryBuildDatagram(now, buffer, out transmit);
        }

        UpdateAmplificationLimit(now);
        UpdateTimers(now);
        return sent;
    }

    private bool TryBuildDatagram(Instant now, Span<byte> buffer, out Transmit transmit)
    {
        transmit = default;
        PathState path = _path;
        int limit = DatagramLimit(path, buffer.Length);
        if (limit < MinimumPacketRoom) return false;

        // Probe-timeout probes go out at the base size: if large packets vanish in a black hole, these still arrive
        // (and show it to path MTU discovery).
        if (_options.EnablePathMtuDiscovery && _loss.PendingProbes(PacketNumberSpace.ApplicationData) > 0 && limit > PathMtuDiscovery.BasePlpmtu) limit = PathMtuDiscovery.BasePlpmtu;

        // PATH_CHALLENGE and PATH_RESPONSE on a new path are not held back by a window still full of the old path's
        // packets (RFC 9000 section 9.4: the new path starts afresh); they take one packet along.
        bool pathFrames = path.HasProbeFrames && ApplicationSpace.CanSend;
        var context = new SendContext { CanSendInFlight = pathFrames || MaySendInFlight(now, limit), Ecn = _loss.Ecn.CodepointToSend };
        var open = default(OpenPacket);
        bool hasOpen = false;
        for (int i = 0; i < SpaceCount; i++)
        {
            PacketSpace space = _spaces[i];
            if (!space.CanSend || !SpaceWantsToSend(now, space, context.CanSendInFlight)) continue;
            int start = hasOpen ? EndOf(in open) : 0;
            if (limit - start < MinimumPacketRoom) break;
            if (!TryWritePacket(now, buffer[..limit], start, space, ref context, out OpenPacket next)) continue;

            // The previous packet is sealed only now that another follows it: the last one takes the padding.
            if (hasOpen) SealPacket(now, buffer, ref open, 0, ref context);
            open = next;
            hasOpen = true;
        }

        if (!hasOpen)
        {
            bool waiting = !context.CanSendInFlight && AnySpaceWantsToSend(now);

            // A pacing wake-up is only worth it when something waits for the pacer.
            if (!waiting) _timers.Clear(TimerKind.Pacing);

            // RFC 9002 section 7.8: nothing waits to be sent although the window has room for another datagram, so
            // the window is not what limits the sender and acknowledgments must not grow it. Waiting for the window
            // or the pacer is not application-limited.
            _loss.IsApplicationLimited = !waiting && _loss.CanSend(limit);
            return false;
        }

        int length = SealPacket(now, buffer, ref open, PaddingTarget(in context, limit), ref context);

        // Sending in-flight data: until a poll finds nothing more to send, the sender is not application-limited
        // (a driver may process acknowledgments between two batches of datagrams).
        if (context.InFlight) _loss.IsApplicationLimited = false;
        return FinishDatagram(now, path, length, ref context, out transmit);
    }

    private bool AnySpaceWantsToSend(Instant now)
    {
        foreach (PacketSpace space in _spaces)
        {
            if (space.CanSend && SpaceWantsToSend(now, space, canSendInFlight: true)) return true;
        }

        return false;
    }

    /// <summary>Where a packet ends once sealed without extra padding.</summary>
    private static int EndOf(in OpenPacket open) =>
        Math.Max(open.PayloadEnd, open.Start + open.PacketNumberOffset + Math.Max(open.PacketNumberLength, 4)) + AeadTagLength;

    /// <summary>The size the datagram must reach (RFC 9000 sections 8.2.1, 10.3 and 14.1), within <paramref name="limit"/>.</summary>
    private int PaddingTarget(in SendContext context, int limit)
    {
        int target = 0;
        if (context.ContainsInitial && (!_isServer || context.AckElicitingInitial)) target = MinimumMaxDatagramSize;
        if (context.ContainsPathFrame) target = MinimumMaxDatagramSize;
        return Math.Min(target, limit);
    }

    private bool FinishDatagram(Instant now, PathState path, int length, ref SendContext context, out Transmit transmit)
    {
        path.BytesSent += length;
        _datagramsSent++;
        _bytesSent += length;
        if (context.InFlight) _pacer.OnPacketSent(now, length, _loss.CongestionController.GetPacingRate(_loss.Rtt));
        transmit = new Transmit(length, path.Remote, context.Ecn, context.ContainsClientHello);
        return true;
    }

    /// <summary>The most bytes the next datagram on <paramref name="path"/> may have: path size, buffer, anti-amplification.</summary>
    private int DatagramLimit(PathState path, int bufferLength)
    {
        int limit = Math.Min(bufferLength, CurrentMaxDatagramSize);
        long budget = path.AmplificationBudget;
        return budget < limit ? (int)budget : limit;
    }

    /// <summary>Congestion window and pacer (RFC 9002 section 7): may ack-eliciting or padded packets go out now?</summary>
    private bool MaySendInFlight(Instant now, int size)
    {
        if (_loss.HasPendingProbes) return true;
        if (!_loss.CanSend(size)) return false;
        Instant next = _pacer.NextSendTime(now, size, _loss.CongestionController.GetPacingRate(_loss.Rtt));
        if (next <= now) return true;
        _timers[TimerKind.Pacing] = next;
        return false;
    }

    private bool SpaceWantsToSend(Instant now, PacketSpace space, bool canSendInFlight)
    {
        if (space.Received.HasPendingAck && space.Received.ShouldSendAck(now)) return true;
        if (_loss.PendingProbes(space.Space) > 0) return true;
        if (!canSendInFlight) return false;
        if (space.CryptoSend.HasDataToSend(ulong.MaxValue)) return true;
        return space.Space == PacketNumberSpace.ApplicationData && HasApplicationFramesToSend();
    }

    private bool HasApplicationFramesToSend() =>
        _pingPending
        || _handshakeDonePending
        || _path.HasProbeFrames
        || _receiveWindow.IsUpdateDue
        || _streamLimits.IncomingBidirectional.IsMaxStreamsUpdateDue
        || _streamLimits.IncomingUnidirectional.IsMaxStreamsUpdateDue
        || _sendCredit.IsBlockedSignalPending
        || _streamLimits.OutgoingBidirectional.IsStreamsBlockedPending
        || _streamLimits.OutgoingUnidirectional.IsStreamsBlockedPending
        || _localIds.HasPendingFrames
        || _peerIds.HasPendingRetire
        || _controlQueue.Count > 0
        || _sendQueue.Count > 0
        || _datagramSendQueue.Count > 0;

    /// <summary>Writes the header and frames of one packet at <paramref name="offset"/>; false (nothing written) when no frame fits or is due.</summary>
    private bool TryWritePacket(Instant now, Span<byte> datagram, int offset, PacketSpace space, ref SendContext context, out OpenPacket open)
    {
        open = default;
        if (!BeginPacket(datagram, offset, space, out open, out int payloadStart)) return false;

        Span<byte> packetBuffer = datagram[offset..];
        var writer = new SpanWriter(packetBuffer[payloadStart..(packetBuffer.Length - AeadTagLength)]);
        open.Token = _sentLog.BeginPacket();
        WriteFrames(now, space, ref writer, ref open, ref context);
        _sentLog.EndPacket();
        if (writer.Position == 0)
        {
            _sentLog.Release(open.Token);
            return false;
        }

        open.PayloadEnd = offset + payloadStart + writer.Position;
        if (space.Space == PacketNumberSpace.Initial)
        {
            context.ContainsInitial = true;
            context.AckElicitingInitial |= open.AckEliciting;
        }

        return true;
    }

    /// <summary>Writes the (unprotected) header of the next packet of <paramref name="space"/>; false when it would not leave room for frames.</summary>
    private bool BeginPacket(Span<byte> datagram, int offset, PacketSpace space, out OpenPacket open, out int payloadStart)
    {
        open = default;
        payloadStart = 0;
        DirectionKeys keys = space.SendKeys!;
        if (space.Space == PacketNumberSpace.ApplicationData && keys.Current.IsConfidentialityLimitReached) return false;

        ulong packetNumber = space.NextPacketNumber;
        ulong? largestAcked = _loss.TryGetLargestAcked(space.Space, out ulong largest) ? largest : null;
        int pnLength = PacketNumber.GetEncodedLength(packetNumber, largestAcked);
        PacketType type = PacketTypeExtensions.FromEncryptionLevel(space.Level);
        ConnectionId destination = _peerIds.Current;
        ConnectionId source = _localIds.Initial;
        ReadOnlySpan<byte> token = type == PacketType.Initial && !_isServer ? _retryToken : default;
        int headerLength = type == PacketType.OneRtt
            ? PacketHeaderWriter.GetShortHeaderLength(destination.Length, pnLength)
            : PacketHeaderWriter.GetLongHeaderLength(type, destination.Length, source.Length, token.Length, pnLength);
        if (datagram.Length - offset - headerLength - AeadTagLength < 8) return false;

        var writer = new SpanWriter(datagram[offset..]);
        HeaderLayout layout = type == PacketType.OneRtt
            ? PacketHeaderWriter.WriteShortHeader(ref writer, destination.AsSpan(), packetNumber, pnLength, keys.KeyPhase)
            : PacketHeaderWriter.WriteLongHeader(ref writer, type, QuicVersion.Version1, destination.AsSpan(), source.AsSpan(), token, packetNumber, pnLength);
        payloadStart = layout.PayloadOffset;
        open = new OpenPacket
        {
            Space = space.Space,
            Start = offset,
            LengthOffset = layout.LengthOffset,
            PacketNumberOffset = layout.PacketNumberOffset,
            PacketNumberLength = pnLength,
            PacketNumber = packetNumber,
        };
        return true;
    }

    private void WriteFrames(Instant now, PacketSpace space, ref SpanWriter writer, ref OpenPacket open, ref SendContext context)
    {
        if (space.Received.HasPendingAck) WriteAck(now, space, ref writer, ref open);
        bool probe = _loss.PendingProbes(space.Space) > 0;
        if (!context.CanSendInFlight && !probe) return;

        bool application = space.Space == PacketNumberSpace.ApplicationData;
        if (application) WriteControlFrames(now, ref writer, ref open, ref context);
        WriteCryptoFrames(space, ref writer, ref open, ref context);
        if (application)
        {
            // DATAGRAM before STREAM: stream data fills whole packets and would starve them.
            WriteDatagramFrames(ref writer, ref open);
            WriteStreamFrames(ref writer, ref open);
        }

        bool elicitAck = application && open.HasAck && _ackOnlyPackets >= AckOnlyPacketsBeforePing;

        // A pending PING goes out even in an ack-eliciting packet: after a migration it makes the packet that carries
        // the PATH_CHALLENGE non-probing, so the peer follows at once (RFC 9000 section 9.2).
        if (((application && _pingPending) || (!open.AckEliciting && (probe || elicitAck))) && writer.Remaining > 0)
        {
            writer.WriteByte((byte)FrameType.Ping);
            open.AckEliciting = true;
        }

        if (application && open.AckEliciting) _pingPending = false;
    }

    private void WriteAck(Instant now, PacketSpace space, ref SpanWriter writer, ref OpenPacket open)
    {
        ReceivedPacketTracker received = space.Received;
        int count = received.GetAckRanges(_ackRanges);
        if (count == 0) return;
        ulong delay = space.Space == PacketNumberSpace.ApplicationData ? AckFrame.EncodeAckDelay(received.GetAckDelay(now), _options.AckDelayExponent) : 0;
        EcnCounts counts = received.EcnCounts;
        EcnCounts? ecn = counts.IsEmpty ? null : counts;
        ReadOnlySpan<PacketNumberRange> ranges = _ackRanges.AsSpan(0, count);
        int fit = AckFrame.GetRangeCountThatFits(ranges, delay, ecn, writer.Remaining);
        if (fit == 0) return;
        new AckFrame(ranges[..fit], delay, ecn).Write(ref writer);
        open.HasAck = true;
        open.AckLargest = ranges[0].Largest;
    }

    private void WriteControlFrames(Instant now, ref SpanWriter writer, ref OpenPacket open, ref SendContext context)
    {
        if (_handshakeDonePending && writer.Remaining >= 1)
        {
            writer.WriteByte((byte)FrameType.HandshakeDone);
            _handshakeDonePending = false;
            Record(ref open, new SentFrame(SentFrameKind.HandshakeDone, 0, 0, 0, false));
        }

        WritePathFrames(_path, ref writer, ref open, ref context);

        if (_receiveWindow.IsUpdateDue && writer.Remaining >= ControlFrameRoom)
        {
            var frame = new MaxDataFrame(_receiveWindow.TakeUpdate(now, _loss.Rtt.SmoothedRtt));
            frame.Write(ref writer);
            Record(ref open, new SentFrame(SentFrameKind.MaxData, 0, frame.MaximumData, 0, false));
        }

        for (int bidirectional = 1; bidirectional >= 0; bidirectional--)
        {
            Streams.IncomingStreamLimit incoming = bidirectional == 1 ? _streamLimits.IncomingBidirectional : _streamLimits.IncomingUnidirectional;
            if (incoming.IsMaxStreamsUpdateDue && writer.Remaining >= ControlFrameRoom)
            {
                var frame = new MaxStreamsFrame(bidirectional == 1, incoming.TakeMaxStreamsUpdate());
                frame.Write(ref writer);
                Record(ref open, new SentFrame(SentFrameKind.MaxStreams, 0, frame.MaximumStreams, 0, bidirectional == 1));
            }

            Streams.OutgoingStreamLimit outgoing = bidirectional == 1 ? _streamLimits.OutgoingBidirectional : _streamLimits.OutgoingUnidirectional;
            if (outgoing.IsStreamsBlockedPending && writer.Remaining >= ControlFrameRoom && outgoing.TryTakeStreamsBlocked(out ulong streamLimit))
            {
                new StreamsBlockedFrame(bidirectional == 1, streamLimit).Write(ref writer);
                Record(ref open, new SentFrame(SentFrameKind.StreamsBlocked, 0, streamLimit, 0, bidirectional == 1));
            }
        }

        while (_localIds.HasPendingFrames && writer.Remaining >= 64 && _localIds.TryTakePendingFrame(out NewConnectionIdFrame newId))
        {
            newId.Write(ref writer);
            Record(ref open, new SentFrame(SentFrameKind.NewConnectionId, newId.SequenceNumber, 0, 0, false));
        }

        while (_peerIds.HasPendingRetire && writer.Remaining >= ControlFrameRoom && _peerIds.TryTakeRetire(out ulong sequence))
        {
            new RetireConnectionIdFrame(sequence).Write(ref writer);
            Record(ref open, new SentFrame(SentFrameKind.RetireConnectionId, sequence, 0, 0, false));
        }

        if (_sendCredit.IsBlockedSignalPending && writer.Remaining >= ControlFrameRoom && _sendCredit.TryTakeBlockedSignal(out ulong dataLimit))
        {
            new DataBlockedFrame(dataLimit).Write(ref writer);
            Record(ref open, new SentFrame(SentFrameKind.DataBlocked, 0, dataLimit, 0, false));
        }

        WriteStreamControlFrames(now, ref writer, ref open);
    }

    /// <summary>RESET_STREAM, STOP_SENDING, MAX_STREAM_DATA and STREAM_DATA_BLOCKED of the streams that queued some.</summary>
    private void WriteStreamControlFrames(Instant now, ref SpanWriter writer, ref OpenPacket open)
    {
        int visits = _controlQueue.Count;
        while (visits-- > 0 && writer.Remaining >= 4 * ControlFrameRoom && _controlQueue.TryDequeue(out StreamEntry? entry))
        {
            entry.InControlQueue = false;
            if (entry.IsRemoved) continue;
            ulong id = entry.Id.Value;
            if (entry.Send is { } send)
            {
                if (send.NeedsResetStream && send.TryTakeResetStream(out ulong code, out ulong finalSize))
                {
                    new ResetStreamFrame(id, code, finalSize).Write(ref writer);
                    Record(ref open, new SentFrame(SentFrameKind.ResetStream, id, 0, 0, false));
                }

                if (send.TryTakeStreamDataBlocked(out ulong streamLimit))
                {
                    new StreamDataBlockedFrame(id, streamLimit).Write(ref writer);
                    Record(ref open, new SentFrame(SentFrameKind.StreamDataBlocked, id, streamLimit, 0, false));
                }
            }

            if (entry.Receive is { } receive)
            {
                if (receive.TryTakeStopSending(out ulong code))
                {
                    new StopSendingFrame(id, code).Write(ref writer);
                    Record(ref open, new SentFrame(SentFrameKind.StopSending, id, 0, 0, false));
                }

                if (receive.NeedsMaxStreamData)
                {
                    ulong limit = receive.TakeMaxStreamData(now, _loss.Rtt.SmoothedRtt, _receiveWindow);
                    new MaxStreamDataFrame(id, limit).Write(ref writer);
                    Record(ref open, new SentFrame(SentFrameKind.MaxStreamData, id, limit, 0, false));
                }
            }
        }
    }

    private static void WritePathFrames(PathState path, ref SpanWriter writer, ref OpenPacket open, ref SendContext context)
    {
        if (path.ResponsePending && writer.Remaining >= 9)
        {
            // One PATH_RESPONSE per PATH_CHALLENGE, never retransmitted (RFC 9000 section 8.2.2).
            new PathResponseFrame(path.ResponseData).Write(ref writer);
            path.ResponsePending = false;
            open.AckEliciting = true;
            context.ContainsPathFrame = true;
        }

        if (path.ChallengePending && writer.Remaining >= 9)
        {
            new PathChallengeFrame(path.ChallengeData).Write(ref writer);
            path.ChallengePending = false;
            open.AckEliciting = true;
            context.ContainsPathFrame = true;
        }
    }

    private void WriteCryptoFrames(PacketSpace space, ref SpanWriter writer, ref OpenPacket open, ref SendContext context)
    {
        Streams.SendBuffer crypto = space.CryptoSend;
        while (crypto.HasDataToSend(ulong.MaxValue))
        {
            int room = writer.Remaining;
            if (!crypto.TryPeekNext(ulong.MaxValue, room, out ulong offset, out int available, out _)) break;
            int length = CryptoFrame.GetMaxDataLength(room, offset, available);
            if (length <= 0) break;
            writer.WriteByte((byte)FrameType.Crypto);
            writer.WriteVarInt(offset);
            writer.WriteVarInt((ulong)length);
            crypto.CopyTo(offset, writer.Free[..length]);
            writer.Advance(length);
            crypto.MarkSent(offset, length, fin: false);
            Record(ref open, new SentFrame(SentFrameKind.Crypto, 0, offset, length, false));
            if (offset == 0 && space.Space == PacketNumberSpace.Initial && !_isServer) context.ContainsClientHello = true;
        }
    }

    private void WriteDatagramFrames(ref SpanWriter writer, ref OpenPacket open)
    {
        while (_datagramSendQueue.Count > 0)
        {
            ReadOnlySpan<byte> payload = _datagramSendQueue.Peek();
            int frameLength = 1 + VarInt.GetLength((ulong)payload.Length) + payload.Length;
            if (frameLength > writer.Remaining)
            {
                // Too large for any packet now (the path shrank under it): drop it, DATAGRAM is unreliable anyway.
                if (payload.Length > MaxDatagramPayloadSize) _datagramSendQueue.Dequeue();
                else break;
                continue;
            }

            new DatagramFrame(payload).Write(ref writer);
            _datagramSendQueue.Dequeue();
            _datagramFramesSent++;
            open.AckEliciting = true;
        }
    }

    /// <summary>STREAM frames, one stream after another in round-robin order; each stream is visited at most once per packet.</summary>
    private void WriteStreamFrames(ref SpanWriter writer, ref OpenPacket open)
    {
        int visits = _sendQueue.Count;
        while (visits-- > 0 && writer.Remaining > 16 && _sendQueue.TryDequeue(out StreamEntry? entry))
        {
            entry.InSendQueue = false;
            if (entry.IsRemoved || entry.Send is not { } send) continue;
            int room = writer.Remaining;
            if (!send.TryPeekNext(_sendCredit, room, out ulong offset, out int available, out bool fin))
            {
                ParkBlockedStream(entry);
                continue;
            }

            int length = StreamFrame.GetMaxDataLength(room, entry.Id.Value, offset, available);
            if (length < 0 || (length == 0 && available > 0))
            {
                // Not even a byte fits: try again in the next packet.
                ScheduleSend(entry);
                break;
            }

            bool frameFin = fin && length == available;
            byte type = (byte)(0x08 | (offset != 0 ? StreamFrame.OffBit : 0) | StreamFrame.LenBit | (frameFin ? StreamFrame.FinBit : 0));
            writer.WriteByte(type);
            writer.WriteVarInt(entry.Id.Value);
            if (offset != 0) writer.WriteVarInt(offset);
            writer.WriteVarInt((ulong)length);
            send.CopyTo(offset, writer.Free[..length]);
            writer.Advance(length);
            send.MarkSent(offset, length, frameFin, _sendCredit);
            Record(ref open, new SentFrame(SentFrameKind.Stream, entry.Id.Value, offset, length, frameFin));

            if (send.IsStreamDataBlockedPending) ScheduleControl(entry);
            if (send.HasDataToSend(_sendCredit)) ScheduleSend(entry);
            else ParkBlockedStream(entry);
        }
    }

    /// <summary>A stream with unsent data that flow control holds back waits for MAX_DATA or MAX_STREAM_DATA.</summary>
    private void ParkBlockedStream(StreamEntry entry)
    {
        Streams.SendStream send = entry.Send!;
        if (send.UnsentBytes == 0 || send.IsReset) return;
        send.CheckBlocked(_sendCredit);
        if (send.IsStreamDataBlockedPending) ScheduleControl(entry);
        if (_sendCredit.Available == 0 && !entry.InCreditWaitQueue)
        {
            entry.InCreditWaitQueue = true;
            _creditWait.Add(entry);
        }
    }

    private void Record(ref OpenPacket open, in SentFrame frame)
    {
        _sentLog.Add(in frame);
        open.AckEliciting = true;
    }

    /// <summary>
    /// Pads, patches the Length, protects and accounts for the open packet; returns the offset after it. The
    /// padding target applies to the whole datagram, whose last packet this is when it is non-zero.
    /// </summary>
    private int SealPacket(Instant now, Span<byte> buffer, ref OpenPacket open, int padTo, ref SendContext context, bool track = true)
    {
        PacketSpace space = _spaces[(int)open.Space];
        // Header protection samples 4 bytes past the packet number start: packet number plus payload >= 4 bytes.
        int paddedEnd = Math.Max(EndOf(in open), padTo) - AeadTagLength;
        if (paddedEnd > open.PayloadEnd)
        {
            buffer[open.PayloadEnd..paddedEnd].Clear();
            open.PayloadEnd = paddedEnd;
            open.Padded = true;
        }

        int end = open.PayloadEnd + AeadTagLength;
        Span<byte> packet = buffer[open.Start..end];
        if (open.LengthOffset >= 0) PacketHeaderWriter.PatchLength(packet, open.LengthOffset, end - open.Start - open.PacketNumberOffset);
        DirectionKeys keys = space.SendKeys!;
        PacketProtection.Protect(packet, open.PacketNumberOffset, open.PacketNumberLength, open.PacketNumber, keys.Current, keys.HeaderProtection);
        space.NextPacketNumber++;
        _packetsSent++;

        bool inFlight = open.AckEliciting || open.Padded;
        if (track)
        {
            _loss.OnPacketSent(open.Space, open.PacketNumber, now, end - open.Start, open.AckEliciting, inFlight, open.Token, context.Ecn, open.IsPathMtuProbe);
        }
        else
        {
            _sentLog.Release(open.Token);
        }

        if (open.HasAck)
        {
            space.Received.OnAckSent(open.PacketNumber, open.AckLargest);
            if (open.Space == PacketNumberSpace.ApplicationData && _awaitingKeyUpdateAck && open.AckLargest >= _keyUpdateTriggerPacket)
            {
                _awaitingKeyUpdateAck = false;
            }
        }

        context.InFlight |= inFlight;
        if (open.Space == PacketNumberSpace.ApplicationData && track) _ackOnlyPackets = open.AckEliciting ? 0 : _ackOnlyPackets + 1;
        if (open.AckEliciting)
        {
            _lastAckElicitingSent = now;
            if (_firstUnansweredSend.IsNever) _firstUnansweredSend = now;
            if (!_ackElicitingSentSinceLastReceive)
            {
                _ackElicitingSentSinceLastReceive = true;
                RestartIdleTimer(now);
            }
        }

        // RFC 9001 section 4.9.1: a client discards its Initial keys when it first sends a Handshake packet.
        if (!_isServer && open.Space == PacketNumberSpace.Handshake && !InitialSpace.IsDiscarded) DiscardSpace(now, PacketNumberSpace.Initial);
        return end;
    }

    /// <summary>The CONNECTION_CLOSE datagram of the closing state (RFC 9000 sections 10.2.1 and 10.2.3).</summary>
    private bool TryBuildCloseDatagram(Instant now, Span<byte> buffer, out Transmit transmit)
    {
        transmit = default;
        if (!_closePending) return false;
        _closePending = false;
        PathState path = _path;
        int limit = DatagramLimit(path, buffer.Length);
        if (limit < MinimumPacketRoom) return false;

        var context = default(SendContext);
        var open = default(OpenPacket);
        bool hasOpen = false;
        for (int i = 0; i < SpaceCount; i++)
        {
            PacketSpace space = _spaces[i];

            // After confirmation only 1-RTT; before, every level the peer might be able to read.
            if (!space.CanSend || (_handshakeConfirmed && space.Space != PacketNumberSpace.ApplicationData)) continue;
            int start = hasOpen ? EndOf(in open) : 0;
            if (limit - start < MinimumPacketRoom) break;
            if (!BeginPacket(buffer[..limit], start, space, out OpenPacket next, out int payloadStart)) continue;
            next.Token = _sentLog.BeginPacket();
            _sentLog.EndPacket();
            var writer = new SpanWriter(buffer[(start + payloadStart)..(limit - AeadTagLength)]);
            WriteConnectionClose(space.Space, ref writer);
            next.PayloadEnd = start + payloadStart + writer.Position;
            if (space.Space == PacketNumberSpace.Initial) context.ContainsInitial = true;
            if (hasOpen) SealPacket(now, buffer, ref open, 0, ref context, track: false);
            open = next;
            hasOpen = true;
        }

        if (!hasOpen) return false;
        int length = SealPacket(now, buffer, ref open, PaddingTarget(in context, limit), ref context, track: false);
        context.InFlight = false;
        return FinishDatagram(now, path, length, ref context, out transmit);
    }

    private void WriteConnectionClose(PacketNumberSpace space, ref SpanWriter writer)
    {
        ConnectionCloseFrame frame;
        if (!_closeIsApplication)
        {
            frame = ConnectionCloseFrame.Transport((TransportErrorCode)_closeCode, _closeFrameType, _closeReason);
        }
        else if (space == PacketNumberSpace.ApplicationData)
        {
            frame = ConnectionCloseFrame.Application(_closeCode, _closeReason);
        }
        else
        {
            // An application close must not reveal application state in Initial or Handshake packets.
            frame = ConnectionCloseFrame.Transport(TransportErrorCode.APPLICATION_ERROR, 0, default);
        }

        if (frame.Length > writer.Remaining) frame = frame.WithReasonTruncated(writer.Remaining);
        if (frame.Length <= writer.Remaining) frame.Write(ref writer);
    }

    /// <summary>A 1-RTT datagram to another path than the current one, carrying PATH_RESPONSE and/or PATH_CHALLENGE (RFC 9000 section 8.2).</summary>
    private bool TryBuildProbeDatagram(Instant now, Span<byte> buffer, PathState path, out Transmit transmit)
    {
        transmit = default;
        int limit = DatagramLimit(path, buffer.Length);
        if (limit < MinimumPacketRoom) return false;
        PacketSpace space = ApplicationSpace;
        var context = default(SendContext);
        if (!BeginPacket(buffer[..limit], 0, space, out OpenPacket open, out int payloadStart)) return false;
        open.Token = _sentLog.BeginPacket();
        _sentLog.EndPacket();
        var writer = new SpanWriter(buffer[payloadStart..(limit - AeadTagLength)]);
        WritePathFrames(path, ref writer, ref open, ref context);
        open.PayloadEnd = payloadStart + writer.Position;
        int end = SealPacket(now, buffer, ref open, PaddingTarget(in context, limit), ref context);
        return FinishDatagram(now, path, end, ref context, out transmit);
    }

    /// <summary>What one datagram being built contains so far.</summary>
    private struct SendContext
    {
        /// <summary>Congestion control and pacing let ack-eliciting packets go.</summary>
        public bool CanSendInFlight;

        public bool ContainsInitial;
        public bool AckElicitingInitial;
        public bool ContainsClientHello;
        public bool ContainsPathFrame;
        public bool InFlight;

        /// <summary>The ECN codepoint of the datagram's IP header.</summary>
        public EcnCodepoint Ecn;
    }

    /// <summary>A packet whose header and frames are written but which is not yet padded and protected.</summary>
    private struct OpenPacket
    {
        public PacketNumberSpace Space;
        public int Start;
        public int LengthOffset;
        public int PacketNumberOffset;
        public int PacketNumberLength;
        public ulong PacketNumber;
        public int PayloadEnd;
        public long Token;
        public bool AckEliciting;
        public bool Padded;
        public bool HasAck;
        public ulong AckLargest;

        /// <summary>A DPLPMTUD probe (PING and PADDING to the probed size).</summary>
        public bool IsPathMtuProbe;
    }
}
