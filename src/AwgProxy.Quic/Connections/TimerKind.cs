namespace AwgProxy.Quic.Connections;

/// <summary>
/// Every timer of a connection, indexing one table of deadlines: <see cref="Connection.NextTimeout"/> is the
/// minimum over the table (quinn's timer.rs idea).
/// </summary>
internal enum TimerKind
{
    /// <summary>Idle timeout (RFC 9000 section 10.1).</summary>
    Idle,

    /// <summary>Loss detection or probe timeout (RFC 9002 section 6).</summary>
    LossDetection,

    /// <summary>ACK delay of the Initial space (immediate when due).</summary>
    AckInitial,

    /// <summary>ACK delay of the Handshake space (immediate when due).</summary>
    AckHandshake,

    /// <summary>ACK delay of the Application Data space (max_ack_delay).</summary>
    AckApplication,

    /// <summary>The pacer lets the next packet go.</summary>
    Pacing,

    /// <summary>Discard the previous 1-RTT read keys after a key update (RFC 9001 section 6.5).</summary>
    KeyDiscard,

    /// <summary>End of the closing or draining period (RFC 9000 section 10.2).</summary>
    Close,

    /// <summary>Resend a PATH_CHALLENGE, or give up validating the path (RFC 9000 section 8.2.4).</summary>
    PathValidation,

    /// <summary>Send a PING to keep the connection alive.</summary>
    KeepAlive,

    /// <summary>Path MTU discovery searches again (PMTU_RAISE_TIMER, RFC 8899 section 5.1.1).</summary>
    PathMtu,

    /// <summary>Ack-eliciting packets went unanswered for the dead-path timeout.</summary>
    DeadPath,
}

/// <summary>The deadlines of a connection, one per <see cref="TimerKind"/>.</summary>
internal struct TimerTable
{
    private const int Count = (int)TimerKind.DeadPath + 1;

    private Deadlines _deadlines;

    public TimerTable()
    {
        ((Span<Instant>)_deadlines).Fill(Instant.Never);
    }

    public Instant this[TimerKind kind]
    {
        readonly get => _deadlines[(int)kind];
        set => _deadlines[(int)kind] = value;
    }

    public void Clear(TimerKind kind) => _deadlines[(int)kind] = Instant.Never;

    public readonly bool IsExpired(TimerKind kind, Instant now) => !_deadlines[(int)kind].IsNever && _deadlines[(int)kind] <= now;

    /// <summary>The earliest deadline (<see cref="Instant.Never"/> when none is set).</summary>
    public readonly Instant Next
    {
        get
        {
            Instant next = Instant.Never;
            for (int i = 0; i < Count; i++)
            {
                if (_deadlines[i] < next) next = _deadlines[i];
            }

            return next;
        }
    }

    public void ClearAll() => ((Span<Instant>)_deadlines).Fill(Instant.Never);

    [System.Runtime.CompilerServices.InlineArray(Count)]
    private struct Deadlines
    {
        private Instant _element0;
    }
}
