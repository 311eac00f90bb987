namespace AwgProxy.Socks5;

/// <summary>
/// A cancellation token that fires after a timeout measured by the server's <see cref="TimeProvider"/>, or
/// when the server stops, and that tells the two apart.
/// </summary>
internal sealed class Socks5Deadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _stopToken;
    private readonly CancellationTokenRegistration _stopRegistration;

    public Socks5Deadline(TimeSpan timeout, TimeProvider timeProvider, CancellationToken stopToken)
    {
        _source = new CancellationTokenSource(timeout, timeProvider);
        _stopToken = stopToken;
        _stopRegistration = stopToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _source);
    }

    public CancellationToken Token => _source.Token;

    /// <summary>Whether the token fired because the timeout elapsed (and not because the server stopped).</summary>
    public bool TimedOut => _source.IsCancellationRequested && !_stopToken.IsCancellationRequested;

    public void Dispose()
    {
        // Unregister first: disposing the registration waits for a running callback, which uses _source.
        _stopRegistration.Dispose();
        _source.Dispose();
    }
}
