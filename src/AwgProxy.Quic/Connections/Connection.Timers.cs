using AwgProxy.Quic.Recovery;

namespace AwgProxy.Quic.Connections;

/// <summary>The timers facet: one table of deadlines (<see cref="TimerKind"/>), refreshed after every call.</summary>
public sealed partial class Connection
{
    /// <summary>
    /// Handles every deadline that passed by <paramref name="now"/>: idle timeout, loss detection and probes, key
    /// discard, path validation, keep-alive, the end of the closing or draining period. Calling it early is harmless.
    /// Afterwards poll transmits and events and re-read <see cref="NextTimeout"/>.
    /// </summary>
    public void HandleTimeout(Instant now)
    {
        ThrowIfDisposed();
        _lastNow = now;
        if (_state == ConnectionState.Closed) return;
        if (_timers.IsExpired(TimerKind.Close, now))
        {
            FinishDrain();
            return;
        }

        if (IsClosingOrDraining) return;
        if (_timers.IsExpired(TimerKind.Idle, now))
        {
            Terminate(new ConnectionError(ConnectionErrorKind.IdleTimeout, 0, 0, "idle timeout", isLocal: true));
            return;
        }

        if (_timers.IsExpired(TimerKind.LossDetection, now))
        {
            var callbacks = new LossCallbacks(this, now);
            LossDetectionTimeout timeout = _loss.OnLossDetectionTimeout(now, ref callbacks);
            ApplyPathMtuChange();

            // A probe in the Initial or Handshake space carries the unacknowledged CRYPTO data again: a PING alone
            // would only make the peer acknowledge, costing another round trip to recover a lost flight.
            if (timeout.Action == LossDetectionAction.SendProbes && timeout.Space != PacketNumberSpace.ApplicationData)
            {
                RequeueCryptoData(_spaces[(int)timeout.Space]);
            }

            // RFC 9002 section 6.2.4: probes carry new data when there is some, else data not yet acknowledged
            // (retransmitted without declaring anything lost), so a lost tail is repaired by the probe itself.
            if (timeout.Action == LossDetectionAction.SendProbes && timeout.Space == PacketNumberSpace.ApplicationData && !HasApplicationFramesToSend())
            {
                RequeueOldestForProbes(timeout.Count);
            }
        }

        if (_timers.IsExpired(TimerKind.KeyDiscard, now))
        {
            ApplicationSpace.ReceiveKeys?.DiscardPrevious();
            _timers.Clear(TimerKind.KeyDiscard);
        }

        if (_timers.IsExpired(TimerKind.DeadPath, now))
        {
            // The path stopped answering: tell the application now rather than at the idle timeout.
            TimeSpan silent = now - _firstUnansweredSend;
            CloseLocally(now, ConnectionErrorKind.PathDead, 0, 0, $"no packet from the peer for {silent.TotalSeconds:0.0} s while ack-eliciting packets were outstanding", "path unresponsive"u8);
            return;
        }

        if (_timers.IsExpired(TimerKind.PathMtu, now)) _pmtud.TryGetProbeSize(now, out _);
        if (_timers.IsExpired(TimerKind.PathValidation, now)) OnPathValidationTimer(now);
        if (_timers.IsExpired(TimerKind.KeepAlive, now)) _pingPending = true;
        _timers.Clear(TimerKind.Pacing);
        UpdateTimers(now);
    }

    /// <summary>Refreshes the deadlines that mirror component state (loss detection, ACK delays, keep-alive, path validation).</summary>
    private void UpdateTimers(Instant now)
    {
        if (IsClosingOrDraining) return;
        _timers[TimerKind.LossDetection] = _loss.LossDetectionDeadline;

        // An ACK deadline is only worth waking up for when a packet can actually be sent.
        bool canSend = _path.AmplificationBudget >= MinimumPacketRoom;
        SetAckTimer(TimerKind.AckInitial, InitialSpace, canSend);
        SetAckTimer(TimerKind.AckHandshake, HandshakeSpace, canSend);
        SetAckTimer(TimerKind.AckApplication, ApplicationSpace, canSend);

        if (_options.KeepAliveInterval is { } keepAlive && _handshakeComplete && !_pingPending)
        {
            Instant last = _lastAckElicitingSent > _createdAt ? _lastAckElicitingSent : now;
            _timers[TimerKind.KeepAlive] = last + keepAlive;
        }
        else
        {
            _timers.Clear(TimerKind.KeepAlive);
        }

        _timers[TimerKind.PathValidation] = _path.IsValidating ? Instant.Min(_path.NextChallengeTime, _path.ValidationDeadline) : Instant.Never;
        _timers[TimerKind.PathMtu] = _handshakeConfirmed && !_pmtud.IsSearching ? _pmtud.NextSearch : Instant.Never;
        _timers[TimerKind.DeadPath] = DeadPathDeadline;
    }

    /// <summary>
    /// Dead-path detection: once connected, ack-eliciting packets unanswered for max(<see cref="ConnectionOptions.DeadPathTimeout"/>,
    /// 3 PTO) since the first of them mean the path is gone.
    /// </summary>
    private Instant DeadPathDeadline
    {
        get
        {
            if (_options.DeadPathTimeout is not { } timeout || _firstUnansweredSend.IsNever || _state != ConnectionState.Connected) return Instant.Never;
            TimeSpan threePto = 3 * ProbeTimeout;
            return _firstUnansweredSend + (timeout > threePto ? timeout : threePto);
        }
    }

    private void SetAckTimer(TimerKind kind, PacketSpace space, bool canSend)
    {
        _timers[kind] = canSend && space.CanSend && space.Received.HasPendingAck ? space.Received.AckDeadline : Instant.Never;
    }

    /// <summary>RFC 9002 section 6.2.2.1: the server stops its PTO while it may not send; the amplification budget decides.</summary>
    private void UpdateAmplificationLimit(Instant now)
    {
        if (!_isServer || IsClosingOrDraining) return;
        bool limited = !_path.IsValidated && _path.AmplificationBudget < MinimumPacketRoom;
        if (limited != _loss.IsAtAntiAmplificationLimit) _loss.SetAntiAmplificationLimited(limited, now);
    }
}
