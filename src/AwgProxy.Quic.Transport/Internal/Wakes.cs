namespace AwgProxy.Quic.Transport.Internal;

/// <summary>
/// The completions a thread decided while it held an endpoint driver's lock, run by the same thread once it has
/// released the lock (<see cref="Run"/>). Per thread, so it needs no lock and allocates nothing after warm-up.
/// Every code path that takes a driver lock calls <see cref="Run"/> after leaving it.
/// </summary>
internal static class Wakes
{
    [ThreadStatic]
    private static List<Wakeable>? t_pending;

    /// <summary>Queues <paramref name="wakeable"/> (under the lock).</summary>
    public static void Add(Wakeable wakeable) => (t_pending ??= []).Add(wakeable);

    /// <summary>Completes what this thread queued (outside any driver lock).</summary>
    public static void Run()
    {
        List<Wakeable>? pending = t_pending;
        if (pending is null || pending.Count == 0) return;
        try
        {
            for (int i = 0; i < pending.Count; i++)
            {
                pending[i].Complete();
            }
        }
        finally
        {
            pending.Clear();
        }
    }
}
