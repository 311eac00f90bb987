namespace AwgProxy.Socks5.Tests.Infrastructure;

/// <summary>Bounds on every wait in the tests, so that a hang fails instead of stalling the run.</summary>
internal static class TestTimeouts
{
    /// <summary>Generous upper bound for a single loopback operation on a busy 2-core machine.</summary>
    public static readonly TimeSpan Operation = TimeSpan.FromSeconds(30);

    public static CancellationToken Token() => new CancellationTokenSource(Operation).Token;
}
