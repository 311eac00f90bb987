using AwgProxy.Socks5.Protocol;

namespace AwgProxy.Socks5.Tests.Infrastructure;

/// <summary>Answers every CONNECT with the same failure code.</summary>
internal sealed class FixedReplyHandler(Socks5ReplyCode replyCode) : ISocks5ConnectHandler
{
    public ValueTask<Socks5ConnectResult> ConnectAsync(Socks5ConnectRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Socks5ConnectResult.Failure(replyCode));
}

/// <summary>Fails every CONNECT with the given exception.</summary>
internal sealed class ThrowingHandler(Exception exception) : ISocks5ConnectHandler
{
    public ValueTask<Socks5ConnectResult> ConnectAsync(Socks5ConnectRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromException<Socks5ConnectResult>(exception);
}

/// <summary>Never finishes a CONNECT on its own; it ends only when its token fires.</summary>
internal sealed class HangingHandler : ISocks5ConnectHandler
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first CONNECT reached the handler.</summary>
    public Task Entered => _entered.Task;

    public async ValueTask<Socks5ConnectResult> ConnectAsync(Socks5ConnectRequest request, CancellationToken cancellationToken)
    {
        _entered.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }
}
