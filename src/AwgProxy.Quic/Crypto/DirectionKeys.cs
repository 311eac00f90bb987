namespace AwgProxy.Quic.Crypto;

/// <summary>
/// The keys protecting packets in one direction at one encryption level: the header protection key, which lives
/// as long as the level, and the packet keys of the key phases (RFC 9001 section 6).
/// <list type="bullet">
/// <item><see cref="Current"/> protects (or is expected on) packets whose Key Phase bit equals <see cref="KeyPhase"/>.</item>
/// <item><see cref="Next"/> is derived with "quic ku" on first access and kept; receivers should touch it when the
/// keys are installed so that a key update causes no key generation during packet processing (section 9.5).</item>
/// <item><see cref="UpdateKeys"/> makes Next current, keeps the old current as <see cref="Previous"/> for delayed
/// packets and flips <see cref="KeyPhase"/>; <see cref="DiscardPrevious"/> drops it (senders right away, receivers
/// after about three PTOs, section 6.5).</item>
/// </list>
/// Only 1-RTT keys are ever updated; for the other levels only <see cref="Current"/> and
/// <see cref="HeaderProtection"/> are used. Not thread-safe.
/// </summary>
public sealed class DirectionKeys : IDisposable
{
    private PacketKey? _next;
    private PacketKey? _previous;
    private long _retiredFailedDecryptions;
    private bool _disposed;

    /// <summary>Derives the header protection key and the first packet key from a traffic <paramref name="secret"/>.</summary>
    public DirectionKeys(CipherSuite suite, ReadOnlySpan<byte> secret)
    {
        Suite = suite;
        HeaderProtection = new HeaderProtectionKey(suite, secret);
        try
        {
            Current = new PacketKey(suite, secret);
        }
        catch
        {
            HeaderProtection.Dispose();
            throw;
        }
    }

    /// <summary>The negotiated cipher suite.</summary>
    public CipherSuite Suite { get; }

    /// <summary>The header protection key; key updates do not change it.</summary>
    public HeaderProtectionKey HeaderProtection { get; }

    /// <summary>The packet key of the current key phase.</summary>
    public PacketKey Current { get; private set; }

    /// <summary>The Key Phase bit of <see cref="Current"/>: false (0) for the first 1-RTT keys, toggled by each update.</summary>
    public bool KeyPhase { get; private set; }

    /// <summary>The packet key of the next key phase, derived on first access and then kept.</summary>
    public PacketKey Next
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _next ??= Current.NextPhase();
        }
    }

    /// <summary>The packet key of the previous key phase, kept after <see cref="UpdateKeys"/> until <see cref="DiscardPrevious"/>.</summary>
    public PacketKey? Previous => _previous;

    /// <summary>Failed decryptions under every packet key this holder has had, for the integrity limit (section 6.6).</summary>
    public long FailedDecryptions =>
        _retiredFailedDecryptions + Current.FailedDecryptions + (_next?.FailedDecryptions ?? 0) + (_previous?.FailedDecryptions ?? 0);

    /// <summary>Moves to the next key phase: Next becomes Current, Current becomes Previous, and KeyPhase flips.</summary>
    public void UpdateKeys()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        PacketKey next = Next;
        DiscardPrevious();
        _previous = Current;
        Current = next;
        _next = null;
        KeyPhase = !KeyPhase;
    }

    /// <summary>Disposes the previous key phase's packet key, if any.</summary>
    public void DiscardPrevious()
    {
        if (_previous is null) return;
        _retiredFailedDecryptions += _previous.FailedDecryptions;
        _previous.Dispose();
        _previous = null;
    }

    /// <summary>Clears and releases every key.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _previous?.Dispose();
        _next?.Dispose();
        Current.Dispose();
        HeaderProtection.Dispose();
    }
}
