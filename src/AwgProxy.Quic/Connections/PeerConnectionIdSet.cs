using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Connections;

/// <summary>
/// The connection IDs the peer issued to us (RFC 9000 section 5.1): the one in use as Destination Connection ID,
/// spares from NEW_CONNECTION_ID frames, and the RETIRE_CONNECTION_ID frames we owe. Sequence 0 is the Source
/// Connection ID of the peer's handshake packets.
/// </summary>
internal sealed class PeerConnectionIdSet
{
    private readonly List<Entry> _active = new(8);
    private readonly Queue<ulong> _pendingRetire = new();
    private readonly int _limit;
    private ulong _retirePriorTo;
    private Entry _current;

    /// <param name="initial">The Destination Connection ID to use before the peer chose one.</param>
    /// <param name="limit">Our active_connection_id_limit.</param>
    public PeerConnectionIdSet(ConnectionId initial, int limit)
    {
        _limit = limit;
        _current = new Entry(0, initial) { Used = true };
        _active.Add(_current);
    }

    /// <summary>The Destination Connection ID of the packets we send.</summary>
    public ConnectionId Current => _current.Id;

    public ulong CurrentSequence => _current.Sequence;

    /// <summary>The stateless reset token of <see cref="Current"/>, when the peer gave one.</summary>
    public StatelessResetToken? CurrentToken => _current.Token;

    public bool IsZeroLength => _current.Id.IsEmpty;

    public bool HasPendingRetire => _pendingRetire.Count > 0;

    public int ActiveCount => _active.Count;

    /// <summary>Sets the peer's chosen connection ID (sequence 0): the client learns it from the server's first Initial.</summary>
    public void SetInitial(ConnectionId id)
    {
        _current = new Entry(0, id) { Used = true, Token = _current.Token };
        _active[0] = _current;
    }

    /// <summary>The server's stateless_reset_token transport parameter, for sequence 0.</summary>
    public void SetInitialToken(StatelessResetToken token)
    {
        foreach (Entry entry in _active)
        {
            if (entry.Sequence == 0) entry.Token = token;
        }
    }

    /// <summary>Handles NEW_CONNECTION_ID (RFC 9000 section 19.15) after the caller checked the peer does not use a zero-length ID.</summary>
    public TransportErrorCode OnNewConnectionId(in NewConnectionIdFrame frame)
    {
        foreach (Entry entry in _active)
        {
            bool sameSequence = entry.Sequence == frame.SequenceNumber;
            bool sameId = entry.Id == frame.ConnectionId;
            if (sameSequence != sameId) return TransportErrorCode.PROTOCOL_VIOLATION;
            if (sameSequence)
            {
                // A retransmission: it must repeat the same token.
                return entry.Token is { } token && token != frame.StatelessResetToken ? TransportErrorCode.PROTOCOL_VIOLATION : TransportErrorCode.NO_ERROR;
            }
        }

        if (frame.SequenceNumber < _retirePriorTo)
        {
            // Already covered by an earlier Retire Prior To: retire it at once (RFC 9000 section 5.1.2).
            QueueRetire(frame.SequenceNumber);
            return CheckRetireBacklog();
        }

        _active.Add(new Entry(frame.SequenceNumber, frame.ConnectionId) { Token = frame.StatelessResetToken });
        if (frame.RetirePriorTo > _retirePriorTo)
        {
            _retirePriorTo = frame.RetirePriorTo;
            for (int i = _active.Count - 1; i >= 0; i--)
            {
                if (_active[i].Sequence >= _retirePriorTo) continue;
                QueueRetire(_active[i].Sequence);
                _active.RemoveAt(i);
            }

            if (_current.Sequence < _retirePriorTo) SwitchToUnused();
        }

        if (_active.Count > _limit) return TransportErrorCode.CONNECTION_ID_LIMIT_ERROR;
        return CheckRetireBacklog();
    }

    /// <summary>Moves to a connection ID not used before (migration, or after the current one was retired). False if none is left.</summary>
    public bool SwitchToUnused()
    {
        Entry? best = null;
        foreach (Entry entry in _active)
        {
            if (entry.Used || entry == _current) continue;
            if (best is null || entry.Sequence < best.Sequence) best = entry;
        }

        if (best is null) return false;
        best.Used = true;
        _current = best;
        return true;
    }

    /// <summary>
    /// Moves to a connection ID not used before and retires the current one (RFC 9000 section 9.5: a new path gets a
    /// new connection ID, so the paths cannot be linked). False, changing nothing, when no unused one is left.
    /// </summary>
    public bool TryRotate()
    {
        Entry previous = _current;
        if (!SwitchToUnused()) return false;
        _active.Remove(previous);
        QueueRetire(previous.Sequence);
        return true;
    }

    /// <summary>An unused connection ID is available for a new path.</summary>
    public bool HasUnused
    {
        get
        {
            foreach (Entry entry in _active)
            {
                if (!entry.Used) return true;
            }

            return false;
        }
    }

    public bool TryTakeRetire(out ulong sequence) => _pendingRetire.TryDequeue(out sequence);

    public void OnRetireLost(ulong sequence) => _pendingRetire.Enqueue(sequence);

    /// <summary>
    /// True when the last 16 bytes of <paramref name="datagram"/> equal the stateless reset token of a connection ID
    /// we have used and not retired (RFC 9000 section 10.3.1); compared in constant time.
    /// </summary>
    public bool IsStatelessReset(ReadOnlySpan<byte> datagram)
    {
        bool match = false;
        foreach (Entry entry in _active)
        {
            if (entry.Used && entry.Token is { } token) match |= StatelessReset.Matches(datagram, token);
        }

        return match;
    }

    private void QueueRetire(ulong sequence) => _pendingRetire.Enqueue(sequence);

    private TransportErrorCode CheckRetireBacklog() =>
        _pendingRetire.Count > 2 * _limit + 4 ? TransportErrorCode.CONNECTION_ID_LIMIT_ERROR : TransportErrorCode.NO_ERROR;

    private sealed class Entry(ulong sequence, ConnectionId id)
    {
        public ulong Sequence { get; } = sequence;

        public ConnectionId Id { get; } = id;

        public StatelessResetToken? Token { get; set; }

        public bool Used { get; set; }
    }
}
