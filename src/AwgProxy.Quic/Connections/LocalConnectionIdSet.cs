using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Connections;

/// <summary>
/// The connection IDs this endpoint issued to its peer (RFC 9000 section 5.1.1): sequence 0 is the Source
/// Connection ID of the handshake, later ones are announced in NEW_CONNECTION_ID frames. Retired IDs are replaced
/// so the peer keeps as many as its active_connection_id_limit allows (bounded by <see cref="MaxIssued"/>).
/// </summary>
internal sealed class LocalConnectionIdSet
{
    /// <summary>The most connection IDs we keep active at once, whatever the peer's limit.</summary>
    public const int MaxIssued = 8;

    private readonly List<Entry> _active = new(MaxIssued);
    private ulong _nextSequence;

    public LocalConnectionIdSet(ConnectionId initial, StatelessResetToken token)
    {
        _active.Add(new Entry(0, initial, token) { Announced = true });
        _nextSequence = 1;
        Initial = initial;
    }

    /// <summary>The Source Connection ID of our handshake packets (sequence 0).</summary>
    public ConnectionId Initial { get; }

    public int ActiveCount => _active.Count;

    /// <summary>True while a NEW_CONNECTION_ID frame waits to be sent.</summary>
    public bool HasPendingFrames { get; private set; }

    public ConnectionId this[int index] => _active[index].Id;

    public bool Contains(ReadOnlySpan<byte> connectionId)
    {
        foreach (Entry entry in _active)
        {
            if (entry.Id.Equals(connectionId)) return true;
        }

        return false;
    }

    /// <summary>Adds a freshly issued connection ID, to be announced in a NEW_CONNECTION_ID frame.</summary>
    public void Issue(ConnectionId id, StatelessResetToken token)
    {
        _active.Add(new Entry(_nextSequence++, id, token));
        HasPendingFrames = true;
    }

    /// <summary>
    /// Handles RETIRE_CONNECTION_ID (RFC 9000 section 19.16). Returns the retired ID through
    /// <paramref name="retired"/> (false when the sequence number was already retired).
    /// </summary>
    public TransportErrorCode Retire(ulong sequence, ReadOnlySpan<byte> packetDestinationConnectionId, out ConnectionId retired, out bool wasActive)
    {
        retired = default;
        wasActive = false;
        if (sequence >= _nextSequence) return TransportErrorCode.PROTOCOL_VIOLATION;
        for (int i = 0; i < _active.Count; i++)
        {
            if (_active[i].Sequence != sequence) continue;
            if (_active[i].Id.Equals(packetDestinationConnectionId)) return TransportErrorCode.PROTOCOL_VIOLATION;
            retired = _active[i].Id;
            wasActive = true;
            _active.RemoveAt(i);
            return TransportErrorCode.NO_ERROR;
        }

        return TransportErrorCode.NO_ERROR;
    }

    /// <summary>Takes the next connection ID to announce.</summary>
    public bool TryTakePendingFrame(out NewConnectionIdFrame frame)
    {
        foreach (Entry entry in _active)
        {
            if (entry.Announced) continue;
            entry.Announced = true;
            frame = new NewConnectionIdFrame(entry.Sequence, 0, entry.Id, entry.Token);
            return true;
        }

        HasPendingFrames = false;
        frame = default;
        return false;
    }

    /// <summary>A NEW_CONNECTION_ID frame was lost: announce again if the ID is still active.</summary>
    public void OnFrameLost(ulong sequence)
    {
        foreach (Entry entry in _active)
        {
            if (entry.Sequence != sequence) continue;
            entry.Announced = false;
            HasPendingFrames = true;
            return;
        }
    }

    private sealed class Entry(ulong sequence, ConnectionId id, StatelessResetToken token)
    {
        public ulong Sequence { get; } = sequence;

        public ConnectionId Id { get; } = id;

        public StatelessResetToken Token { get; } = token;

        public bool Announced { get; set; }
    }
}
