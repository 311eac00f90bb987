using System.Threading.Tasks.Sources;

namespace AwgProxy.Quic.Transport.Internal;

/// <summary>
/// A reusable awaitable for one pending operation at a time (a read, a write, a datagram receive), in the spirit of
/// runtime's ResettableValueTaskSource. Its life cycle, with every transition but the last made under the owning
/// endpoint driver's lock:
/// <code>
///   Idle --Arm()--> Armed --TryDisarm() + outcome--> Disarmed --Wakes.Run(): Complete()--> (awaiter resumes) --GetResult()--> Idle
/// </code>
/// Exactly one party disarms it (an event, a cancellation, a connection failure), chooses the outcome and queues it
/// on <see cref="Wakes"/>; the completion itself runs after the lock is released, and continuations always run
/// asynchronously, so application code never runs under the lock or on the driver's receive loop.
/// </summary>
internal sealed class AsyncWaiter<T> : Wakeable, IValueTaskSource<T>, IValueTaskSource
{
    private ManualResetValueTaskSourceCore<T> _core = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _registration;
    private T _result = default!;
    private Exception? _error;

    /// <summary>Whether an operation waits (read and written under the driver's lock).</summary>
    public bool IsArmed { get; private set; }

    /// <summary>Starts waiting (under the lock).</summary>
    public ValueTask<T> Arm()
    {
        _core.Reset();
        _result = default!;
        _error = null;
        IsArmed = true;
        return new ValueTask<T>(this, _core.Version);
    }

    /// <summary>Starts waiting (under the lock), for an operation whose result is not needed.</summary>
    public ValueTask ArmWithoutResult()
    {
        Arm();
        return new ValueTask(this, _core.Version);
    }

    /// <summary>Ends the wait with a result (under the lock); the caller queues the completion with <see cref="Wakes.Add"/>. False when not armed.</summary>
    public bool TryDisarm(T result)
    {
        if (!IsArmed) return false;
        IsArmed = false;
        _result = result;
        return true;
    }

    /// <summary>Ends the wait with an exception (under the lock). False when not armed.</summary>
    public bool TryDisarm(Exception error)
    {
        if (!IsArmed) return false;
        IsArmed = false;
        _error = error;
        return true;
    }

    /// <summary>
    /// Makes <paramref name="cancellationToken"/> cancel the wait through <paramref name="onCancel"/> (which takes the
    /// lock and disarms). Called after the lock is released, before awaiting; the registration ends in
    /// <see cref="GetResult"/>.
    /// </summary>
    public void RegisterCancellation(CancellationToken cancellationToken, Action<object?, CancellationToken> onCancel, object owner)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(onCancel, owner);
        }
    }

    /// <summary>Completes the awaiter with the outcome chosen when it was disarmed (outside the lock).</summary>
    public override void Complete()
    {
        if (_error is { } error) _core.SetException(error);
        else _core.SetResult(_result);
    }

    public T GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            // Outside the lock: Dispose waits for a running cancellation callback, which takes the lock.
            _registration.Dispose();
            _registration = default;
        }
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
