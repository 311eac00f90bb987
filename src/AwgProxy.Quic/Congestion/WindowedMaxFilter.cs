namespace AwgProxy.Quic.Congestion;

/// <summary>
/// The running maximum of a value over a sliding window of "time" (any increasing count: round trips, ticks), kept
/// with Kathleen Nichols' three-sample algorithm (as in BBR's bandwidth filter): the best, second-best and
/// third-best samples of successively later sub-windows, so an expiring maximum is replaced without keeping every
/// sample. No allocation.
/// </summary>
public struct WindowedMaxFilter
{
    private (long Value, long Time) _best;
    private (long Value, long Time) _second;
    private (long Value, long Time) _third;

    public WindowedMaxFilter(long window)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window);
        Window = window;
    }

    /// <summary>How long a sample counts, in the caller's time unit.</summary>
    public long Window { get; }

    /// <summary>The maximum over the window (0 before any sample).</summary>
    public readonly long Best => _best.Value;

    /// <summary>Forgets every sample.</summary>
    public void Reset()
    {
        _best = default;
        _second = default;
        _third = default;
    }

    /// <summary>Adds <paramref name="value"/> observed at <paramref name="time"/> (times must not decrease).</summary>
    public void Update(long value, long time)
    {
        (long Value, long Time) sample = (value, time);
        if (value >= _best.Value || time - _third.Time > Window)
        {
            // A new maximum, or nothing in the window is recent enough: restart from this sample.
            _best = _second = _third = sample;
            return;
        }

        if (value >= _second.Value)
        {
            _second = _third = sample;
        }
        else if (value >= _third.Value)
        {
            _third = sample;
        }

        // Let the sub-window maxima age out in turn.
        long elapsed = time - _best.Time;
        if (elapsed > Window)
        {
            _best = _second;
            _second = _third;
            _third = sample;
            if (time - _best.Time > Window)
            {
                _best = _second;
                _second = _third;
            }
        }
        else if (_second.Time == _best.Time && elapsed > Window / 4)
        {
            // A quarter of the window passed without a second choice: take one.
            _second = _third = sample;
        }
        else if (_third.Time == _second.Time && elapsed > Window / 2)
        {
            _third = sample;
        }
    }
}
