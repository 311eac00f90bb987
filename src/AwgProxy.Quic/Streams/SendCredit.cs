namespace AwgProxy.Quic.Streams;

/// <summary>
/// Flow-control credit the peer grants us (RFC 9000 section 4.1): for one stream (initial_max_stream_data_*,
/// MAX_STREAM_DATA) or for the connection (initial_max_data, MAX_DATA). The limit is an absolute byte count
/// that only grows; <see cref="Used"/> counts bytes sent for the first time.
/// </summary>
/// <remarks>
/// Blocked signal: when the sender has data but no credit it calls <see cref="OnBlocked"/>; the integrator then
/// sends one STREAM_DATA_BLOCKED / DATA_BLOCKED carrying <see cref="Limit"/>, taken with
/// <see cref="TryTakeBlockedSignal"/>. The signal fires at most once per limit value (again only if that frame
/// is reported lost via <see cref="OnBlockedSignalLost"/> while the limit is unchanged), and is withdrawn as soon
/// as the limit grows.
/// </remarks>
public sealed class SendCredit
{
    private ulong _blockedSignalledAt = ulong.MaxValue;
    private bool _blockedPending;

    public SendCredit(ulong initialLimit)
    {
        Limit = initialLimit;
    }

    /// <summary>The largest offset (stream) or byte total (connection) we may send up to.</summary>
    public ulong Limit { get; private set; }

    public ulong Used { get; private set; }

    public ulong Available => Limit - Used;

    /// <summary>Whether a blocked frame carrying <see cref="Limit"/> should be sent.</summary>
    public bool IsBlockedSignalPending => _blockedPending && Available == 0;

    /// <summary>
    /// Applies a new limit from a transport parameter or a MAX_DATA / MAX_STREAM_DATA frame. Returns whether the
    /// limit grew; limits that do not increase are ignored (RFC 9000 section 4.1).
    /// </summary>
    public bool OnLimitReceived(ulong limit)
    {
        if (limit <= Limit) return false;
        Limit = limit;
        _blockedPending = false;
        return true;
    }

    /// <summary>Uses <paramref name="bytes"/> of credit.</summary>
    /// <exception cref="InvalidOperationException">More than <see cref="Available"/>: the caller sent past the limit.</exception>
    public void Consume(ulong bytes)
    {
        if (bytes > Available) throw new InvalidOperationException("Sending past the peer's flow-control limit.");
        Used += bytes;
    }

    /// <summary>The sender has data it cannot send for lack of credit; arms the blocked signal once per limit.</summary>
    public void OnBlocked()
    {
        if (Available == 0 && _blockedSignalledAt != Limit) _blockedPending = true;
    }

    /// <summary>Takes the pending blocked signal; <paramref name="limit"/> is the value for the frame.</summary>
    public bool TryTakeBlockedSignal(out ulong limit)
    {
        limit = Limit;
        if (!IsBlockedSignalPending)
        {
            _blockedPending = false;
            return false;
        }

        _blockedPending = false;
        _blockedSignalledAt = Limit;
        return true;
    }

    /// <summary>A blocked frame carrying <paramref name="limit"/> was lost: send it again if still blocked there.</summary>
    public void OnBlockedSignalLost(ulong limit)
    {
        if (limit == Limit && Available == 0) _blockedPending = true;
    }
}
